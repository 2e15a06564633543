"""The daily report at a day's size: sparse clustering, fragment merging, ranking, opinion, sections, --top, the
rerun cache. Every article here is written for these tests."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import random as sparse_random
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize as l2_normalize

from app.articles import Article
from app.daily.cli import main
from app.daily.merge import fragment_groups, opening_presence
from app.daily.opinion import is_columnist_byline, is_opinion
from app.daily.pipeline import run_daily
from app.daily.report import render
from app.daily.runner import InProcessRunner
from app.daily.sections import section_of
from app.daily.stories import (
    LEAD_WORDS,
    MAX_DF_SHARE,
    TITLE_WEIGHT,
    MergeVeto,
    _opening_stems,
    _vectorize,
    cluster_labels,
    group_stories,
    rank_key,
)
from tests.helpers import write_feed

NOON = datetime(2024, 5, 12, 9, 0, tzinfo=UTC)


def article(
    id_: str, source: str, title: str, text: str, minutes: int = 0, **extra: str
) -> Article:
    url = extra.pop("url", f"https://example.org/{source}/{id_}")
    return Article(
        id=id_, title=title, text=text, source=source, url=url,
        published_at=NOON + timedelta(minutes=minutes), extra=extra,
    )


# One event, told from two angles that share its names and place but few other words.
BLAST = [
    article("e1", "الرياض", "انفجار في مستودع وقود بميناء ينبع التجاري",
            "وقع انفجار صباح اليوم في مستودع للوقود داخل ميناء ينبع التجاري، واندلعت النيران في خزانين "
            "وهرعت فرق الدفاع المدني إلى الموقع وأخلت العمال من الأرصفة المجاورة."),
    article("e2", "عكاظ", "انفجار مستودع الوقود في ميناء ينبع يشعل خزانين",
            "اشتعلت النيران في خزانين بعد انفجار مستودع الوقود في ميناء ينبع التجاري صباح اليوم، وأخلى "
            "الدفاع المدني العمال من الأرصفة القريبة حتى السيطرة على الحريق."),
    article("e3", "الوطن", "الدفاع المدني يسيطر على حريق انفجار ميناء ينبع",
            "أعلن الدفاع المدني السيطرة على الحريق الذي أعقب انفجار مستودع الوقود في ميناء ينبع "
            "التجاري، وقال إن فرقه أخلت الأرصفة ولم تسجل وفيات."),
]
VISIT = [
    article("v1", "المدينة", "محافظ ينبع يعود مصابي انفجار مستودع الوقود بالميناء",
            "زار محافظ ينبع المستشفى العام مساء اليوم واطمأن على مصابي انفجار مستودع الوقود في ميناء ينبع "
            "التجاري، ونقل إليهم تمنيات القيادة بالشفاء.", 60),
    article("v2", "اليوم", "المحافظ يطمئن على مصابي انفجار ميناء ينبع في المستشفى العام",
            "اطمأن محافظ ينبع في المستشفى العام على مصابي انفجار مستودع الوقود في ميناء ينبع التجاري، "
            "ووجه بتقديم الرعاية الكاملة لهم.", 70),
]
# Same kind of news in two places: two events, however alike their words.
HAIL = [
    article("h1", "الرياض", "فتح باب القيد في المراكز الانتخابية بحائل",
            "بدأت اللجنة المحلية للانتخابات البلدية في حائل استقبال الناخبين في المراكز الانتخابية "
            "لتسجيل أسمائهم في جداول القيد طوال أيام الأسبوع."),
    article("h2", "عكاظ", "المراكز الانتخابية في حائل تستقبل الناخبين للقيد",
            "استقبلت المراكز الانتخابية في حائل الناخبين لتسجيل أسمائهم في جداول القيد، وقالت اللجنة "
            "المحلية للانتخابات البلدية إن الأبواب مفتوحة طوال الأسبوع."),
]
TABUK = [
    article("t1", "الوطن", "فتح باب القيد في المراكز الانتخابية بتبوك",
            "بدأت اللجنة المحلية للانتخابات البلدية في تبوك استقبال الناخبين في المراكز الانتخابية "
            "لتسجيل أسمائهم في جداول القيد طوال أيام الأسبوع.", 5),
    article("t2", "المدينة", "المراكز الانتخابية في تبوك تستقبل الناخبين للقيد",
            "استقبلت المراكز الانتخابية في تبوك الناخبين لتسجيل أسمائهم في جداول القيد، وقالت اللجنة "
            "المحلية للانتخابات البلدية إن الأبواب مفتوحة طوال الأسبوع.", 5),
]
CABLES = [
    article("p1", "الرياض", "القيادة تهنئ رئيس جمهورية الجبل الأخضر بذكرى استقلال بلاده",
            "بعث خادم الحرمين الشريفين برقية تهنئة لرئيس جمهورية الجبل الأخضر بمناسبة ذكرى استقلال بلاده "
            "أعرب فيها عن أصدق التهاني وأطيب التمنيات."),
    article("p2", "عكاظ", "خادم الحرمين يهنئ رئيس الجبل الأخضر بذكرى الاستقلال",
            "هنأ خادم الحرمين الشريفين رئيس جمهورية الجبل الأخضر بذكرى استقلال بلاده في برقية أعرب فيها "
            "عن أصدق التهاني وأطيب التمنيات لشعبه."),
]
FLOODS = [
    article("f1", "الوطن", "سيول تقطع طريق الباحة الدولي وتحتجز مركبات",
            "قطعت السيول طريق الباحة الدولي عصر اليوم واحتجزت عددا من المركبات، وتدخلت فرق الإنقاذ "
            "لسحبها وأغلقت الطريق حتى انحسار المياه."),
    article("f2", "المدينة", "إغلاق طريق الباحة بعد احتجاز السيول مركبات",
            "أغلقت الجهات المختصة طريق الباحة الدولي بعد أن احتجزت السيول عددا من المركبات عصر اليوم، "
            "وسحبت فرق الإنقاذ المركبات العالقة."),
]
COLUMN = article(
    "o1", "الوطن", "ينبع تستحق ميناء أكثر أمانا",
    "كتبت مرارا عن ميناء ينبع ومستودعات الوقود فيه، وانفجار اليوم يعيد السؤال عن خطط السلامة في الميناء "
    "وعن الدفاع المدني وقدرته على إخلاء الأرصفة.",
    url="https://example.org/alwatan/Articles/Detail.aspx?ArticleID=77",
)
SIGNED = article(
    "o2", "عكاظ", "حين يشتعل الميناء",
    "انفجار مستودع الوقود في ميناء ينبع التجاري ليس حادثا عابرا، والدفاع المدني أخلى الأرصفة بسرعة لكن "
    "السؤال عن السلامة يبقى.", author="سالم بن سعد الحربي",
)


def day() -> list[Article]:
    return [*BLAST, *VISIT, *HAIL, *TABUK, *CABLES, *FLOODS, COLUMN, SIGNED]


def ids(story) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(a.id for a in story.articles)


def test_sparse_graph_clustering_equals_dense_average_linkage() -> None:
    rng = np.random.default_rng(3)
    for seed in range(5):
        matrix = l2_normalize(sparse_random(120, 60, density=0.06, random_state=seed, format="csr"))
        matrix = matrix[np.asarray(matrix.sum(axis=1)).ravel() > 0]
        dense = fcluster(linkage(matrix.toarray(), method="average", metric="cosine"), t=0.75, criterion="distance")
        assert adjusted_rand_score(dense, cluster_labels(matrix, 0.75)) == 1.0
    assert rng is not None


def test_fragments_of_one_event_merge() -> None:
    # A strict word cut (0.65) so that the grouping splits the event into the blast and the visit.
    split = group_stories(day(), meaning=False, merge_fragments=False, threshold=0.65)
    assert ["e1", "e2", "e3"] in [ids(s) for s in split.stories]
    assert ["v1", "v2"] in [ids(s) for s in split.stories]

    merged = group_stories(day(), meaning=False, threshold=0.65)

    stories = [ids(s) for s in merged.stories]
    assert ["e1", "e2", "e3", "v1", "v2"] in stories
    assert ["f1", "f2"] in stories and ["p1", "p2"] in stories
    assert merged.merged_fragments == 1


def _fragments(articles: list[Article], parts: list[list[int]], veto: bool) -> list[list[str]]:
    _, vocabulary = _vectorize(articles, TITLE_WEIGHT, LEAD_WORDS, MAX_DF_SHARE)
    presence = opening_presence([_opening_stems(a) for a in articles], {str(w): k for k, w in enumerate(vocabulary)})
    event, _ = fragment_groups(presence, [np.array(p) for p in parts], (), MergeVeto(articles) if veto else None)
    groups: dict[int, list[str]] = {}
    for part, label in zip(parts, event, strict=True):
        groups.setdefault(int(label), []).extend(articles[i].id for i in part)
    return sorted(sorted(g) for g in groups.values())


def test_template_twins_in_two_places_or_two_cables_are_not_merged() -> None:
    other_cable = [
        article("p3", "الوطن", "القيادة تهنئ رئيس جمهورية الوادي الأزرق بذكرى استقلال بلاده",
                "بعث خادم الحرمين الشريفين برقية تهنئة لرئيس جمهورية الوادي الأزرق بمناسبة ذكرى استقلال "
                "بلاده أعرب فيها عن أصدق التهاني وأطيب التمنيات."),
        article("p4", "المدينة", "خادم الحرمين يهنئ رئيس الوادي الأزرق بذكرى الاستقلال",
                "هنأ خادم الحرمين الشريفين رئيس جمهورية الوادي الأزرق بذكرى استقلال بلاده في برقية أعرب "
                "فيها عن أصدق التهاني وأطيب التمنيات لشعبه."),
    ]
    articles = [*HAIL, *TABUK, *CABLES, *other_cable]
    parts = [[0, 1], [2, 3], [4, 5], [6, 7]]
    # Their shared words would merge them (same template) ...
    assert _fragments(articles, parts, veto=False) == [["h1", "h2", "t1", "t2"], ["p1", "p2", "p3", "p4"]]
    # ... but two towns are two events, and cables are protocol, one per recipient.
    assert _fragments(articles, parts, veto=True) == [["h1", "h2"], ["p1", "p2"], ["p3", "p4"], ["t1", "t2"]]


def test_biggest_event_first_and_protocol_below_an_event_of_equal_coverage() -> None:
    grouping = group_stories(day(), meaning=False)
    first = grouping.stories[0]
    assert ids(first) == ["e1", "e2", "e3", "v1", "v2"]
    assert first.outlet_count == 5 and first.weight == 5
    ranked = [ids(s) for s in grouping.stories]
    # The cables and the floods: two outlets, one angle each; the event ranks above the protocol item.
    assert ranked.index(["f1", "f2"]) < ranked.index(["p1", "p2"])
    cables = next(s for s in grouping.stories if ids(s) == ["p1", "p2"])
    floods = next(s for s in grouping.stories if ids(s) == ["f1", "f2"])
    assert cables.protocol and not floods.protocol
    assert cables.weight == floods.weight and rank_key(floods) < rank_key(cables)


def test_opinion_columns_are_never_stories() -> None:
    grouping = group_stories(day(), meaning=False)

    assert sorted(a.id for a in grouping.opinion) == ["o1", "o2"]
    assert not {"o1", "o2"} & {a.id for s in grouping.stories for a in s.articles}
    assert is_opinion(COLUMN)  # opinion section in the URL
    assert is_opinion(SIGNED)  # a columnist's bare-name byline
    assert is_columnist_byline("د. سالم الحربي")
    for reporter in ("الرياض - سالم الحربي", "سالم الحربي (جدة)", "جدة: واس", "سالم الحربي من الدمام"):
        assert not is_columnist_byline(reporter), reporter
    assert not is_opinion(BLAST[0])


def test_sections_from_url_then_words() -> None:
    sport_url = article("s1", "الوطن", "خبر", "نص قصير بلا دلالة", url="https://example.org/Sports/News.aspx?id=1")
    assert section_of(sport_url) == "sport"
    football = article("s2", "عكاظ", "الهلال يهزم النصر في الدوري ويقترب من الكأس",
                       "فاز فريق الهلال على النصر في مباراة الدوري، وسجل اللاعب هدفين وأشاد المدرب بالفريق.")
    assert section_of(football) == "sport"
    market = article("s3", "اليوم", "مؤشر الأسهم يرتفع وأرباح الشركات تدعم السوق",
                     "ارتفع مؤشر سوق الأسهم بدعم من أرباح الشركات، وبلغت قيمة التداول مليار ريال.")
    assert section_of(market) == "economy"
    gulf = article("s4", "الرياض", "الكويت والبحرين تبحثان ربط الموانئ",
                   "بحث وزيرا النقل في الكويت والبحرين ربط الموانئ بين البلدين وتسهيل حركة الشحن الخليجي.")
    assert section_of(gulf) == "gulf_arab"
    plain = article("s5", "الوطن", "معرض للخط العربي", "يفتتح معرض للخط العربي أبوابه للزوار الأسبوع المقبل.")
    assert section_of(plain) == "other"



def test_top_briefs_n_stories_lists_the_rest_and_groups_other_news(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = write_feed(tmp_path / "day.jsonl", day())
    code = main([str(feed), "--date", "2024-05-12", "--tz", "UTC", "--model", "none", "--out",
                 str(tmp_path / "out"), "--top", "1", "--no-meaning-check"])
    assert code == 0, capsys.readouterr().err
    report = json.loads((tmp_path / "out" / "2024-05-12.json").read_text(encoding="utf-8"))
    assert len(report["stories"]) == 1 and report["stories"][0]["briefing"]
    assert sorted(a["id"] for a in report["stories"][0]["articles"]) == ["e1", "e2", "e3", "v1", "v2"]
    lines = report["story_lines"]
    assert [line["rank"] for line in lines] == list(range(2, 2 + len(lines)))
    assert {"f1", "h1", "t1", "p1"} <= {i for line in lines for i in line["article_ids"]}
    assert all(len(line["outlets"]) >= 2 and line["url"] for line in lines)
    sections = {s["key"]: [a["id"] for a in s["articles"]] for s in report["sections"]}
    assert sorted(sections["opinion"]) == ["o1", "o2"]
    markdown = (tmp_path / "out" / "2024-05-12.md").read_text(encoding="utf-8")
    assert markdown.count("\n### المقالات") == 1  # one full briefing
    assert "## قصص أخرى" in markdown and "### مقالات الرأي" in markdown
    html = (tmp_path / "out" / "2024-05-12.html").read_text(encoding="utf-8")
    assert 'href="#more-stories"' in html and 'href="#section-opinion"' in html


def test_display_caps_keep_markdown_short_and_json_whole(tmp_path: Path) -> None:
    singles = [
        article(f"n{i}", f"صحيفة {i}", f"افتتاح حديقة رقم {i} في حي جديد",
                f"افتتحت البلدية الحديقة رقم {i} بمساحة {1000 + i} متر مربع وزودتها بممرات للمشي.", i)
        for i in range(40)
    ]
    feed = write_feed(tmp_path / "many.jsonl", singles)
    result = run_daily(feed, date(2024, 5, 12), UTC, tmp_path / "out", InProcessRunner(), meaning=False,
                       per_section=5)
    data = json.loads(render(result.report, "json"))
    assert sum(len(s["articles"]) for s in data["sections"]) == 40  # all kept in the JSON
    markdown = render(result.report, "md")
    shown = sum(1 for line in markdown.splitlines() if line.startswith("- [افتتاح حديقة"))
    assert shown <= 5 * len(result.report.sections)
    assert "خبرًا آخر في ملف البيانات المرافق للتقرير" in markdown
    html = render(result.report, "html")
    for text in (markdown, re.sub(r"<[^>]+>", " ", html)):  # the reader sees no English, not even "JSON"
        assert "JSON" not in text


class CountingRunner(InProcessRunner):
    def __init__(self) -> None:
        super().__init__()
        self.briefed: list[list[str]] = []

    def run(self, stories, on_done):  # type: ignore[no-untyped-def]
        self.briefed.extend(sorted(a.id for a in s) for s in stories)
        return super().run(stories, on_done)


def test_rerun_reuses_grouped_and_briefed_work(tmp_path: Path) -> None:
    base = [a for a in day() if a.id not in ("v2",)]
    out, cache = tmp_path / "out", tmp_path / "cache"
    first_runner = CountingRunner()
    first = run_daily(write_feed(tmp_path / "a.jsonl", base), date(2024, 5, 12), UTC, out, first_runner, cache_dir=cache)
    assert first_runner.briefed and first.report.cache["briefings_reused"] == 0

    again = CountingRunner()
    second = run_daily(write_feed(tmp_path / "b.jsonl", base), date(2024, 5, 12), UTC, out, again, cache_dir=cache)
    assert again.briefed == []  # every story read back
    assert second.report.cache["openings_embedded"] == 0
    assert second.report.cache["briefings_reused"] == len(first.report.stories)
    assert [s.briefing for s in second.report.stories] == [s.briefing for s in first.report.stories]

    # The next hour: one more article joins one story; only that story is briefed again.
    later = CountingRunner()
    third = run_daily(write_feed(tmp_path / "c.jsonl", day()), date(2024, 5, 12), UTC, out, later, cache_dir=cache)
    assert len(later.briefed) == 1 and "v2" in later.briefed[0]
    assert third.report.cache["briefings_reused"] == len(third.report.stories) - 1

    # A changed text is a new article for the cache, even under the same id.
    edited = [*base]
    edited[0] = article("e1", "الرياض", BLAST[0].title, BLAST[0].text + " وفتحت الجهات المختصة تحقيقا.")
    fourth_runner = CountingRunner()
    run_daily(write_feed(tmp_path / "d.jsonl", edited), date(2024, 5, 12), UTC, out, fourth_runner, cache_dir=cache)
    assert any("e1" in story for story in fourth_runner.briefed)


def test_a_briefing_cached_under_other_prompts_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editors change prompts/ without touching code; the next run must not serve briefings made under the old
    rules."""
    folder = tmp_path / "prompts"
    shutil.copytree(Path(__file__).resolve().parents[1] / "prompts", folder)
    monkeypatch.setenv("MOJAZ_PROMPTS_DIR", str(folder))
    feed, out, cache = write_feed(tmp_path / "a.jsonl", day()), tmp_path / "out", tmp_path / "cache"
    run_daily(feed, date(2024, 5, 12), UTC, out, CountingRunner(), cache_dir=cache)
    unchanged = CountingRunner()
    run_daily(feed, date(2024, 5, 12), UTC, out, unchanged, cache_dir=cache)
    assert unchanged.briefed == []
    with (folder / "junk_sentences.txt").open("a", encoding="utf-8") as rules:
        rules.write("\nسطر أضافه محرر\n")
    edited = CountingRunner()
    second = run_daily(feed, date(2024, 5, 12), UTC, out, edited, cache_dir=cache)
    assert edited.briefed and second.report.cache["briefings_reused"] == 0
