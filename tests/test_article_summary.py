"""Each article's summary adds to the key points: complete, within 25 words, never «…», never repeated."""

import dataclasses

from app.engine import build_briefing
from app.extractive.article_summary import MAX_WORDS, NOTHING_NEW, capped, compress
from app.summarizer import SummaryResult
from app.text.normalize import normalize
from tests.test_citations import FLOOD_A, FLOOD_B, FLOOD_C

LONG = (
    "أعلنت وزارة النقل إغلاق الطريق الساحلي بين المدينتين لمدة أسبوعين اعتبارا من يوم الأحد المقبل، "
    "مشيرة إلى أن الأعمال تشمل توسعة الجسور القديمة وإعادة رصف المسارات المتضررة من السيول الأخيرة "
    "وتركيب إنارة جديدة على امتداد الطريق."
)


def test_compress_keeps_the_main_clause_up_to_a_clause_boundary():
    short = compress(LONG)
    assert short == "أعلنت وزارة النقل إغلاق الطريق الساحلي بين المدينتين لمدة أسبوعين اعتبارا من يوم الأحد المقبل."
    assert len(short.split()) <= MAX_WORDS
    assert compress("جملة قصيرة تامة.") == "جملة قصيرة تامة."


def test_compress_gives_up_rather_than_cut_inside_brackets():
    text = "قال المتحدث (في مؤتمر صحفي عقده بمقر الوزارة مساء أمس بحضور عدد كبير من الإعلاميين والمراسلين، " + (
        "وممثلي الهيئات الدولية والمحلية) إن الخطة ستنفذ على ثلاث مراحل تبدأ الشهر المقبل وتنتهي بعد عام."
    )
    assert compress(text) is None


def test_extractive_summaries_add_to_the_key_points_and_differ():
    briefing = build_briefing([FLOOD_A, FLOOD_B, FLOOD_C], max_words=45)
    summaries = [a.summary for a in briefing.articles if a.summary_adds]
    assert len(summaries) >= 2
    points = [set(normalize(p.text).split()) for p in briefing.key_points]
    assert len({normalize(s) for s in summaries}) == len(summaries)
    for summary in summaries:
        assert not summary.endswith(("…", "...")) and len(summary.split()) <= MAX_WORDS
        words = set(normalize(summary).split())
        assert all(len(words & point) / len(words) < 0.6 for point in points), summary


def test_an_article_that_only_repeats_says_so():
    copy = dataclasses.replace(FLOOD_A, id="flood-copy", source="sabq")
    briefing = build_briefing([FLOOD_A, copy])
    summaries = {a.id: a for a in briefing.articles}
    assert summaries["flood-copy"].summary_adds is False
    assert summaries["flood-copy"].summary == NOTHING_NEW


class _Wordy:
    model_name = "wordy"

    def summarize(self, requests):
        return [SummaryResult(r.article_id, LONG) for r in requests]


def test_model_summaries_are_capped_at_25_words_in_the_engine():
    briefing = build_briefing([FLOOD_A, FLOOD_B, FLOOD_C], summarizer=_Wordy())
    for article in briefing.articles:
        assert len(article.summary.split()) <= MAX_WORDS
        assert not article.summary.endswith("…")
    assert capped(LONG, "بديل.") == compress(LONG)
    assert capped("كلمة " * 40, "بديل.") == "بديل."
