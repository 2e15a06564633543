"""Each article's summary adds to the key points: complete, within 25 words, never «…», never repeated."""

import dataclasses

from app.engine import build_briefing
from app.extractive.article_summary import MAX_WORDS, NOTHING_NEW, capped, compress
from app.summarizer import SummaryResult
from app.text.normalize import normalize
from app.text.standalone import reads_whole
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


# A fictional summit: three outlets report the same talks; the third adds only who else attended.
SUMMIT_A = dataclasses.replace(
    FLOOD_A,
    id="summit-a",
    source="okaz",
    title="قمة الموانئ تقر خطة للنقل البحري",
    text=(
        "أقرت قمة الموانئ الخليجية في مدينة الدمام خطة مشتركة لتطوير النقل البحري بين دول المنطقة خلال خمس سنوات. "
        "وتشمل الخطة توسعة ثلاثة موانئ رئيسية وربطها بشبكة السكك الحديدية الجديدة."
    ),
)
SUMMIT_B = dataclasses.replace(
    SUMMIT_A,
    id="summit-b",
    source="alwatan",
    text=(
        "أقرت قمة الموانئ الخليجية في مدينة الدمام خطة مشتركة لتطوير النقل البحري بين دول المنطقة. "
        "وشارك في أعمال القمة وزراء النقل في الدول الست ورؤساء هيئات الموانئ."
    ),
)
SUMMIT_C = dataclasses.replace(
    SUMMIT_A,
    id="summit-c",
    source="sabq",
    text=(
        "أقرت قمة الموانئ الخليجية في مدينة الدمام خطة مشتركة لتطوير النقل البحري بين دول المنطقة. "
        "وشارك في أعمال القمة وزراء النقل في الدول الست ورؤساء هيئات الموانئ ومندوب عن المنظمة البحرية الدولية."
    ),
)


def test_an_article_that_names_something_new_about_a_told_fact_gets_it_as_its_summary():
    briefing = build_briefing([SUMMIT_A, SUMMIT_B, SUMMIT_C], max_words=40)
    summaries = {a.id: a for a in briefing.articles}
    assert summaries["summit-b"].summary == NOTHING_NEW  # its every sentence is told already
    third = summaries["summit-c"]
    assert third.summary_adds, third.summary
    assert "المنظمة البحرية الدولية" in third.summary
    assert len({a.summary for a in briefing.articles}) == 3
    assert not any(normalize(p.text) == normalize(third.summary) for p in briefing.key_points)


def test_compress_keeps_what_reported_speech_says():
    speech = (
        "قال المتحدث باسم هيئة الموانئ في مؤتمر صحفي عقده بمقر الهيئة في الدمام إن الوزير، "
        "المهندس سالم الراشد وافق على تمديد ساعات العمل في الميناء طوال أيام الأسبوع المقبل."
    )
    kept = compress(speech)  # never «…إن الوزير.», which drops what the minister did
    assert kept.endswith("وافق على تمديد ساعات العمل."), kept
    reported = (
        "اعتبر رئيس الغرفة التجارية في المدينة الساحلية، تعليقا منه على قرار هيئة الموانئ الذي صدر مساء أمس "
        "بعد اجتماع مطول، أن تمديد ساعات العمل سيخفف الازدحام على الأرصفة ويقلص مدة انتظار السفن."
    )
    assert compress(reported) is None  # «اعتبر رئيس الغرفة…» without what he considers
    relative = (
        "أكد مدير الميناء في تصريح للصحفيين أن المشروع الذي سيتم افتتاحه الأسبوع المقبل في الرصيف الشمالي "
        "بحضور عدد من المسؤولين، "
        "بتكلفة تبلغ مئتي مليون ريال، سيرفع الطاقة الاستيعابية للميناء إلى الضعف."
    )
    assert compress(relative) is None
    parenthesis = (
        "أصبحت مدينة الميناء، التي أعادت القوات الحكومية فتحها أمام السفن بالتنسيق مع دول الجوار، "
        "مركزا رئيسيا لتوزيع المساعدات الإنسانية على المحافظات الجنوبية المتضررة من السيول خلال الأسابيع "
        "الماضية وفق ما أعلنته المنظمات الدولية العاملة في المنطقة."
    )
    kept = compress(parenthesis)  # never «أصبحت مدينة الميناء، التي…»: it says nothing of what it became
    assert kept is not None and "مركزا رئيسيا" in kept, kept


def test_compress_cuts_after_an_opening_phrase_once_the_main_clause_has_begun():
    fronted = (
        "ومن بين الشركات التي حصلت على الترخيص، شركة الموانئ الحديثة برأسمال 15 مليون ريال، "
        "وشركة الخليج للخدمات البحرية برأسمال عشرة ملايين ريال، وشركة الساحل للشحن برأسمال خمسة ملايين ريال."
    )
    short = compress(fronted)
    assert short.startswith("ومن بين الشركات التي حصلت على الترخيص، شركة الموانئ الحديثة برأسمال 15 مليون ريال")
    assert short.endswith("ريال.") and len(short.split()) <= MAX_WORDS
    assert compress("ومن بين الشركات التي حصلت على الترخيص من الوزارة " + "في المنطقة الشرقية " * 8 + "شركة.") is None
    ends_on_with = (
        "وأكد الوزير أن سياسة المملكة في قطاع النقل البحري تعتمد على الحزم مع ما يخالف الأنظمة "
        "من ممارسات تضر بالمنافسة العادلة بين الشركات العاملة في الموانئ."
    )
    short = compress(ends_on_with)
    assert short is None or not short.endswith("مع.")


def test_a_summary_reads_as_a_whole_sentence():
    assert reads_whole("وأغلقت السلطات الطرق المؤدية إلى الوادي بعد انهيار جسرين رئيسيين.")
    assert not reads_whole("وأكد البيان أن التزام الحكومة هذا العام بتقديم الدعم المقدر بمليار ريال،")
    follows_a_comma = "وبحث الجانبان تطوير التعاون في مجال النقل البحري بين البلدين."
    assert not reads_whole(follows_a_comma, previous="وعقد الوزير اجتماعا مع نظيره الكويتي،")
    assert reads_whole(follows_a_comma, previous="وعقد الوزير اجتماعا مع نظيره الكويتي.")
    assert not reads_whole("ثم العودة إلى المملكة بعد انتهاء المباراة في لندن مباشرة.")
    assert not reads_whole("حيث تم قصف معسكرين للمتمردين في أطراف المدينة الشمالية فجر اليوم.")
    assert not reads_whole("داعياً المنظمات الدولية إلى زيارة المدينة للاطلاع على حجم الأضرار.")
    assert not reads_whole("سالم بن محمد العتيبي - باحث في شؤون النقل البحري والموانئ الخليجية")
    assert not reads_whole("انطلاقاً من العلاقات التاريخية الوثيقة التي تربط البلدين الشقيقين منذ عقود طويلة.")
    assert reads_whole("انطلاقاً من العلاقات التاريخية بين البلدين، وقع الوزيران اتفاقية للتعاون البحري.")
    assert not reads_whole("وذكر من جانبه أن مواسم الحصاد في القرى تغيرت كثيرا بين جيل وآخر؛ من")
    assert not reads_whole("{وقل ربي زدني علما} هكذا افتتح الخطيب كلمته أمام طلاب الجامعة المتخرجين")
    assert not reads_whole("وصف المحافظ حريق السوق الشعبي في البلدة بأنه حادث مؤسف .وقال")
    assert not reads_whole('وقال الوزير "إن الخطة ستنفذ على ثلاث مراحل تبدأ الشهر المقبل.')
