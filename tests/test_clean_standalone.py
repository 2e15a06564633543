"""Key points are clean whole sentences: the junk, formula and dangling rules, on sentences we wrote."""

import pytest

from app.documents import Sentence, content_terms
from app.extractive.selector import _whole_sentences
from app.text.clean import clean_text
from app.text.sentences import split_sentences
from app.text.standalone import rejection, standalone_sentences


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("وأصدرت الوزارة بيانا بشأن مواعيد الدوام الجديدة في المدارس الحكومية جاء نصه:", "junk"),
        ("وقال المتحدث باسم الهيئة في تصريح للصحفيين:", "junk"),
        ("وأوضحت الهيئة أن التسجيل متاح عبر موقعها https://example.org/register حتى نهاية الشهر.", "junk"),
        ("ويمكن للراغبين التواصل مع مركز الخدمة على الرقم 0551234567 طوال أيام الأسبوع.", "junk"),
        ("وللاستفسار يمكن الاتصال على هاتف: 920001234 في أوقات الدوام الرسمي.", "junk"),
        ("سمات: الطقس الرياض الأمطار السيول", "junk"),
        ("2- صورة من شهادة التخرج مصدقة من الجهة التي منحتها للمتقدم.", "junk"),
        ("قال تعالى: «وتعاونوا على البر والتقوى» صدق الله العظيم.", "formula"),
        ("وبدأ الحفل بتلاوة آيات من الذكر الحكيم ثم ألقيت كلمة المنظمين.", "formula"),
        ("وأنصت الجميع للسلام الملكي في بداية المناسبة التي أقيمت مساء أمس.", "formula"),
        ("صاحب السمو الملكي أمير المنطقة حفظه الله.", "formula"),
        ("وأضاف أن العمل في المشروع سيكتمل قبل نهاية العام المقبل.", "dangling"),
        ("كما أشار، إلى أن تلك الإجراءات لن تؤثر على المستفيدين.", "dangling"),
        ("وتلك هي المرة الثالثة التي يؤجل فيها الافتتاح.", "dangling"),
        ("بحسب وكالة الأنباء المحلية.", "dangling"),
        ("مؤكداً في هذا السياق أن اللقاء يهدف إلى التواصل بين الشباب والمسؤولين.", "dangling"),
        ("بأن أنشطة النادي كانت مقتصرة سابقاً على الطيران الشراعي في المنطقة.", "dangling"),
    ],
)
def test_sentences_that_cannot_stand_alone(sentence, kind):
    assert rejection(sentence) == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "وأعلنت وزارة الصحة تسجيل 12 إصابة جديدة بفيروس كورونا في الرياض وجدة.",
        "وأضاف وزير المالية أن الميزانية ستشهد خفضا في الإنفاق الرأسمالي.",
        "وقال المتحدث إن التحقيقات ما زالت جارية لمعرفة أسباب الحريق.",
        "وهذا العام شهد ارتفاعا في أعداد الحجاج القادمين من الخارج.",
        "وارتفع سعر البرميل 36 سنتا إلى 50.35 دولار في ختام التعاملات.",
    ],
)
def test_news_sentences_stand_alone(sentence):
    assert rejection(sentence) is None


def test_dangling_sentence_is_joined_to_the_one_naming_the_speaker():
    sentences = [
        "قال مدير الدفاع المدني إن فرق الإنقاذ أخلت 40 أسرة من الحي المتضرر.",
        "وأضاف أن التحقيق في أسباب الانهيار بدأ صباح اليوم.",
    ]
    assert standalone_sentences(sentences) == [" ".join(sentences)]


def test_dangling_sentence_without_a_short_predecessor_is_left_out():
    long_one = "أعلن المجلس " + "قرارات عديدة تخص التعليم والصحة والنقل " * 8 + "في جلسته."
    assert standalone_sentences([long_one, "وأشار إلى أن القرارات تدخل حيز التنفيذ فورا."]) == [long_one]
    assert standalone_sentences(["وأشار إلى أن القرارات تدخل حيز التنفيذ فورا."]) == []


def test_announcement_tail_is_cut_and_the_fact_kept():
    text = (
        "بعث أمير المنطقة برقية تهنئة إلى رئيس النادي بمناسبة فوز الفريق بالبطولة فيما يلي نصها:\n"
        "صاحب السمو رئيس النادي المحترم.\n"
        "وتفوق الفريق على منافسه بثلاثة أهداف مقابل هدف في المباراة النهائية."
    )
    assert split_sentences(text) == [
        "بعث أمير المنطقة برقية تهنئة إلى رئيس النادي بمناسبة فوز الفريق بالبطولة.",
        "وتفوق الفريق على منافسه بثلاثة أهداف مقابل هدف في المباراة النهائية.",
    ]


def test_semicolon_does_not_cut_a_sentence():
    text = "أجلت الهيئة موعد الاختبارات أسبوعا؛ وذلك بسبب الأعطال التي أصابت منصة التسجيل الإلكترونية."
    assert split_sentences(text) == [text]


def test_agency_dateline_is_removed_from_any_paragraph():
    text = (
        "واس- الرياض: دعت وزارة الداخلية المواطنين إلى عدم التعامل مع المخالفين لأنظمة الإقامة والعمل.\n"
        "وأكدت الوزارة أن الحملات الميدانية مستمرة في جميع مناطق المملكة دون استثناء.\n"
        "جدة - واس: وفي سياق متصل أعلنت شرطة جدة ضبط عدد من المخالفين في أحياء جنوب المحافظة."
    )
    paragraphs = clean_text(text).paragraphs
    assert paragraphs[0].startswith("دعت وزارة الداخلية")
    assert paragraphs[2].startswith("وفي سياق متصل")


def test_bidi_controls_and_nul_are_removed_from_article_text():
    text = "أعلنت\u202e الشركة\u0000 عن أرباح\u2067 بلغت 20 مليون ريال\u2069 في الربع الثاني من العام الحالي."
    (paragraph,) = clean_text(text).paragraphs
    assert paragraph == "أعلنت الشركة عن أرباح بلغت 20 مليون ريال في الربع الثاني من العام الحالي."


def test_sub_heading_of_hard_wrapped_text_is_not_glued_to_its_paragraph():
    wrapped = (
        "أعلنت وزارة الصحة اليوم عن افتتاح ثلاثة مستشفيات جديدة في المحافظات\n"
        "الجنوبية، وقالت إن المستشفيات ستعمل بكامل طاقتها قبل نهاية الشهر\n"
        "المقبل.\n"
        "خطة التوظيف\n"
        "وأوضحت الوزارة أن كل مستشفى يضم مئتي سرير وقسماً للطوارئ وآخر\n"
        "لرعاية الأطفال حديثي الولادة، وأن التوظيف بدأ بالفعل في المدن\n"
        "الثلاث.\n"
    )
    paragraphs = clean_text(wrapped).paragraphs
    assert len(paragraphs) == 2
    assert paragraphs[1].startswith("وأوضحت الوزارة")
    assert "خطة التوظيف" not in " ".join(paragraphs)


def test_a_piece_of_a_cut_run_on_or_a_continuation_is_never_a_key_point():
    # A long run-on cut at its clauses («…الملك عبدالله الثاني، فقد قام…») leaves pieces that end in «،», or
    # that open with «حيث»: whole sentences around them stay eligible.
    texts = [
        "بتوجيه من وزير المياه والكهرباء وبحضور أمير المنطقة وعدد من المسؤولين في قطاع التحلية،",
        "فقد دشنت المؤسسة اليوم محطة تحلية المياه في ينبع بطاقة 550 ألف متر مكعب يوميا.",
        "حيث تنتج محطة تحلية المياه في ينبع ما يكفي لسكان المدينة المنورة طوال العام.",
        "وتبلغ تكلفة المشروع ثلاثة مليارات ريال بحسب بيان الوزارة الصادر اليوم.",
        "والأمير سعود بن سعد بن عبدالعزيز، والأمير بندر بن سلمان بن محمد، والأمير تركي بن محمد،",
    ]
    sentences = [Sentence(text, 0, i, content_terms(text)) for i, text in enumerate(texts)]
    assert _whole_sentences(sentences, 6).tolist() == [False, False, False, True, False]
