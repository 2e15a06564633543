"""Same-kind news written to one template must not become one story (articles written for these tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from app.articles import Article
from app.daily.stories import MIN_HEADLINE_COVERAGE, group_stories, headline_coverage, split_by_headline

WHEN = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)

# The interior ministry's statement is a fixed text; only the names, nationality, city and crime change.
_STATEMENT = (
    "وأوضح بيان الوزارة أن الجهات المختصة ألقت القبض على المدان بعد وقت قصير من الجريمة، ثم عرضت قضيته "
    "على القضاء الذي أصدر حكمه بعد استكمال مراحل التقاضي كافة، وأيدت الحكم درجات التقاضي الأعلى قبل "
    "اعتماده للتنفيذ. وشدد البيان على أن الدولة ماضية في حماية المجتمع وصون الأرواح والممتلكات، وأن كل "
    "من يرتكب جرما مماثلا سينال الجزاء الذي يقرره القانون دون تهاون."
)

TABUK = [
    Article(
        id="tabuk-1", source="الرياض", published_at=WHEN,
        title="تنفيذ حكم القتل قصاصا في جان قتل مواطنا طعنا بالسكين في تبوك",
        text="أعلنت وزارة الداخلية اليوم تنفيذ حكم القتل قصاصا بالجاني سالم بن عايض الشمري سعودي الجنسية "
        "في منطقة تبوك، بعد أن أقدم على قتل فهد بن ناصر العنزي طعنا بالسكين إثر خلاف بينهما. " + _STATEMENT,
    ),
    Article(
        id="tabuk-2", source="عكاظ", published_at=WHEN,
        title="القصاص من الشمري قاتل العنزي في تبوك",
        text="نفذت وزارة الداخلية حكم القصاص في سالم بن عايض الشمري الذي طعن فهد بن ناصر العنزي بالسكين "
        "حتى الموت في تبوك إثر خلاف بينهما. " + _STATEMENT,
    ),
]
DAMMAM = [
    Article(
        id="dammam-1", source="الوطن", published_at=WHEN,
        title="تنفيذ حكم القتل تعزيرا في باكستاني هرب الهيروين عبر مطار الدمام",
        text="أعلنت وزارة الداخلية اليوم تنفيذ حكم القتل تعزيرا بالجاني عمران نواز خان باكستاني الجنسية "
        "في المنطقة الشرقية، بعد أن هرب كمية من الهيروين المخدر مخبأة في أمتعته عبر مطار الملك فهد الدولي "
        "بالدمام. " + _STATEMENT,
    ),
    Article(
        id="dammam-2", source="المدينة", published_at=WHEN,
        title="الداخلية: القتل تعزيرا للباكستاني عمران خان مهرب الهيروين في الدمام",
        text="نفذت وزارة الداخلية حكم القتل تعزيرا في عمران نواز خان باكستاني الجنسية لتهريبه الهيروين "
        "المخدر إلى المملكة عبر مطار الملك فهد الدولي بالدمام مخبأ في أمتعته. " + _STATEMENT,
    ),
]
# One event told by three outlets in their own words.
TUNNEL = [
    Article(
        id="tunnel-1", source="المدينة", published_at=WHEN,
        title="أمانة جدة تفتتح نفق طريق الملك عبدالله بعد تأخر عامين",
        text="افتتحت أمانة محافظة جدة صباح اليوم نفق تقاطع طريق الملك عبدالله مع شارع الأمير ماجد أمام "
        "الحركة المرورية، بعد عامين من التأخر في التنفيذ بسبب نقل خطوط المياه والكهرباء. ويبلغ طول النفق "
        "ستمئة متر بثلاثة مسارات في كل اتجاه، وقال أمين جدة إن النفق سيخفف الزحام عن أحياء وسط المدينة.",
    ),
    Article(
        id="tunnel-2", source="عكاظ", published_at=WHEN,
        title="فتح نفق الأمير ماجد أمام السيارات في جدة",
        text="بدأت السيارات صباح اليوم العبور من النفق الجديد عند تقاطع شارع الأمير ماجد وطريق الملك عبدالله "
        "في جدة، بعد أن تأخر المشروع سنتين. وأوضح متحدث الأمانة أن طول النفق ستمئة متر، وأنه صمم بثلاثة "
        "مسارات لكل اتجاه لتخفيف الاختناقات المرورية في وسط جدة.",
    ),
    Article(
        id="tunnel-3", source="الرياض", published_at=WHEN,
        title="نفق جديد يخفف الزحام على طريق الملك عبدالله بجدة",
        text="سيخفف نفق تقاطع طريق الملك عبدالله مع شارع الأمير ماجد في جدة الزحام المروري بعد افتتاحه اليوم، "
        "وفق ما أعلنته أمانة جدة. والنفق الذي يمتد ستمئة متر تأخر إنجازه عامين بسبب نقل خطوط الخدمات، "
        "ويضم ثلاثة مسارات في كل اتجاه.",
    ),
]
OTHER = [
    Article(
        id="rain", source="الجزيرة", published_at=WHEN,
        title="أمطار رعدية متوقعة على مرتفعات عسير والباحة",
        text="توقع المركز الوطني للأرصاد هطول أمطار رعدية مصحوبة برياح نشطة على مرتفعات منطقتي عسير والباحة "
        "خلال الأيام الثلاثة المقبلة، ودعا الدفاع المدني إلى الابتعاد عن مجاري السيول.",
    ),
    Article(
        id="football", source="اليوم", published_at=WHEN,
        title="الاتفاق يتعاقد مع مهاجم برازيلي لموسمين",
        text="أعلن نادي الاتفاق التعاقد مع المهاجم البرازيلي ماركوس سيلفا لمدة موسمين قادما من الدوري "
        "البرتغالي، وسينضم اللاعب إلى معسكر الفريق في النمسا الأسبوع المقبل.",
    ),
    Article(
        id="dates", source="الاقتصادية", published_at=WHEN,
        title="صادرات التمور السعودية ترتفع عشرين في المئة",
        text="ارتفعت صادرات المملكة من التمور عشرين في المئة خلال الربع الأول مقارنة بالعام الماضي، وتصدرت "
        "إندونيسيا والمغرب قائمة الدول المستوردة بحسب هيئة الإحصاء.",
    ),
]
DAY = TABUK + DAMMAM + TUNNEL + OTHER


def story_ids(grouping) -> list[list[str]]:
    return sorted(sorted(a.id for a in story.articles) for story in grouping.stories)


def test_word_overlap_alone_joins_two_executions_written_to_one_template() -> None:
    # The premise of the headline check: without it, the shared statement pulls both events together.
    grouping = group_stories(DAY, min_headline_coverage=0.0)

    assert ["dammam-1", "dammam-2", "tabuk-1", "tabuk-2"] in story_ids(grouping)


def test_two_executions_with_one_template_become_two_stories() -> None:
    grouping = group_stories(DAY)

    assert story_ids(grouping) == [
        ["dammam-1", "dammam-2"],
        ["tabuk-1", "tabuk-2"],
        ["tunnel-1", "tunnel-2", "tunnel-3"],
    ]
    assert sorted(a.id for a in grouping.singles) == ["dates", "football", "rain"]


def test_three_outlets_on_one_event_in_their_own_words_stay_one_story() -> None:
    grouping = group_stories(TUNNEL + OTHER + DAMMAM)

    tunnel = [s for s in grouping.stories if any(a.id.startswith("tunnel") for a in s.articles)]
    assert len(tunnel) == 1
    assert sorted(a.id for a in tunnel[0].articles) == ["tunnel-1", "tunnel-2", "tunnel-3"]
    assert tunnel[0].sources == ["المدينة", "عكاظ", "الرياض"]


def test_headline_coverage_reads_names_not_the_template() -> None:
    coverage = headline_coverage(DAY)
    mutual = np.minimum(coverage, coverage.T)
    same_event = [mutual[0, 1], mutual[2, 3]]
    across = mutual[np.ix_([0, 1], [2, 3])]

    # Each pair on one event explains much of the other's headline (names, city, crime), far above the cut ...
    assert min(same_event) > 2 * MIN_HEADLINE_COVERAGE
    # ... across the two events only the template's words match: every cross pair scores lower, and
    # the headline naming the Tabuk killer and victim is barely found in either Dammam article.
    assert across.max() < min(same_event)
    assert across[1].max() < 0.1


def test_split_is_complete_linkage_on_the_weaker_direction() -> None:
    # Article 2 explains article 0's headline well, but not the other way round: they part.
    coverage = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, 0.8], [0.1, 0.7, 1.0]])

    labels = split_by_headline(coverage, 0.2)

    assert labels[0] == labels[1] != labels[2]
    assert len(set(split_by_headline(coverage, 0.0))) == 1
    assert len(set(split_by_headline(np.ones((1, 1)), 0.2))) == 1
