"""Opinion pieces: which bylines make a column, and setting columns aside moves no news article.

Every article here is written for these tests."""

from __future__ import annotations

from app.daily.opinion import is_columnist_byline, is_opinion
from app.daily.stories import group_stories
from tests.test_daily_scale import article, ids

COLUMN = article(
    "k1", "عكاظ", "من يدفع ثمن الزحام؟",
    "أكتب عن الزحام كل صيف، وأعرف أن الطرق لن تتسع وحدها. نحتاج إلى نقل عام يليق بالمدينة.",
    author="عبدالرحمن بن سعد الشهري",
)
PEN = article(
    "k2", "الوطن", "رسالة إلى وزير النقل",
    "أيها الوزير، الطريق السريع يحتاج إلى مخارج أكثر قبل أن يحتاج إلى لوحات جديدة.",
    author="بقلم: منيرة القحطاني",
)
# News under a bare name: a report labelled as one, a wire and a city however the outlet punctuates them.
REPORT = article(
    "n1", "الرياض", "تقرير: الموانئ الخليجية تستقبل 60% من بضائع المنطقة",
    "أظهر تقرير اقتصادي صدر أمس أن موانئ الخليج استقبلت ستين في المئة من بضائع المنطقة العام الماضي.",
    author="سلمان بن فهد العتيبي",
)
WIRE = article(
    "n2", "الاقتصادية", "أنقرة تعلن حملة جوية على مواقع التنظيم",
    "أعلنت الحكومة التركية اليوم بدء حملة جوية على مواقع التنظيم قرب الحدود.",
    author='اسطنبول "رويترز',
)
CITY = article(
    "n3", "اليوم", "النادي يعتمد على المدربين الوطنيين",
    "قررت إدارة النادي الاعتماد على المدربين الوطنيين في الأجهزة الفنية للفئات السنية.",
    author="عبدالعزيز المطيري_الدمام",
)


def test_a_column_is_opinion_and_a_report_under_a_bare_name_is_not() -> None:
    assert is_opinion(COLUMN)  # a bare personal name
    assert is_opinion(PEN)  # «بقلم»
    unsigned = "أيام قليلة تفصلنا عن افتتاح الجسر، وأسأل: ماذا بعد؟"
    writer_in_url = article("k3", "الشرق الأوسط", "ماذا بعد الجسر؟", unsigned,
                            url="https://aawsat.com/home/article/422461/سالم-الحربي/ماذا-بعد-الجسر")
    news_url = article("n0", "الشرق الأوسط", "افتتاح الجسر غدا", "يفتتح الجسر غدا بحضور قادة البلدين.",
                       url="https://aawsat.com/home/article/422462/افتتاح-الجسر-غدا")
    assert is_opinion(writer_in_url) and not is_opinion(news_url)  # the writer's name between id and title
    assert is_columnist_byline("أ. د.عثمان بن صالح العامر")  # titles glued to the name are still titles
    assert not is_opinion(REPORT)  # a report's label on the headline
    assert not is_opinion(WIRE)  # a wire in the byline, quotes or not
    assert not is_opinion(CITY)  # the reporter's city after the name
    for reporter in ("الرياض - سالم الحربي", "سالم الحربي (جدة)", "جدة: واس", "سالم الحربي من الدمام", "سكاي نيوز"):
        assert not is_columnist_byline(reporter), reporter


TOPICS = ["المدارس", "المستشفيات", "الطرق", "الحدائق", "المطارات", "الموانئ", "الجامعات", "المكتبات",
          "الملاعب", "الأسواق", "المساجد", "الشواطئ", "المتاحف", "الفنادق", "المصانع", "المزارع"]
WRITERS = ["سالم الحربي", "نورة العتيبي", "فهد القحطاني", "منى الشهري", "خالد الزهراني", "هند الدوسري",
           "ماجد الغامدي", "ريم المطيري", "سعد العنزي", "لمى الشمري", "عمر البلوي", "دانة السبيعي",
           "بدر الرشيدي", "أمل الجهني", "تركي العمري", "جود الحازمي"]


def tax_day() -> list:  # type: ignore[type-arg]
    """Sixteen columns on the day's talk (the new tax), and two reports on two different taxes."""
    columns = [
        article(f"c{i}", "الوطن", f"{topic} والضريبة الجديدة",
                f"الضريبة الجديدة تبدأ هذا الشهر، وأسأل عن {topic}: من يدفع الضريبة في النهاية؟", author=name)
        for i, (topic, name) in enumerate(zip(TOPICS, WRITERS, strict=True))
    ]
    news = [
        article("t1", "الرياض", "الضريبة الجديدة على الأراضي البيضاء تبدأ في الرياض",
                "تبدأ الضريبة الجديدة على الأراضي البيضاء داخل النطاق العمراني في الرياض هذا الشهر."),
        article("t2", "عكاظ", "الضريبة الجديدة على التبغ تبدأ في المنافذ",
                "تبدأ الضريبة الجديدة على التبغ والمشروبات في المنافذ الجمركية هذا الشهر."),
        article("x1", "اليوم", "افتتاح معرض الكتاب في جدة", "افتتح معرض الكتاب أبوابه للزوار بمشاركة خمسمئة دار نشر."),
        article("x2", "المدينة", "معرض الكتاب يستقبل زواره بخمسمئة دار",
                "استقبل معرض الكتاب زواره في يومه الأول بمشاركة خمسمئة دار نشر."),
    ]
    return [*news, *columns]


def test_setting_columns_aside_moves_no_news_article() -> None:
    day = tax_day()
    aside = group_stories(day, meaning=False)
    kept = group_stories(day, meaning=False, set_aside_opinion=False)

    assert len(aside.opinion) == 16 and not kept.opinion
    # "The new tax" is the day's common talk, columns included: it does not make the land tax and the tobacco
    # tax one story, whether the columns are set aside or not.
    assert [ids(s) for s in aside.stories] == [ids(s) for s in kept.stories] == [["x1", "x2"]]
