"""Normalization, cleaning and sentence splitting on Arabic written for these tests."""

from app.text.clean import clean_text, is_boilerplate
from app.text.normalize import has_arabic, normalize, stems, words
from app.text.sentences import split_sentences


def test_normalize_folds_spelling_variants_for_matching():
    assert normalize("أَعْلَنَ") == normalize("اعلن")
    assert normalize("إتفاقيّة") == normalize("اتفاقيه")
    assert normalize("مستشفى") == normalize("مستشفي")
    assert normalize("الـــرياض") == "الرياض"
    assert normalize("عام ٢٠٢٤") == "عام 2024"
    assert normalize("الأميركية") == normalize("الأمريكية")


def test_words_keep_numbers_whole():
    assert words("بلغت المساعدات 5.2 مليون دولار لـ 2,500 أسرة") == [
        "بلغت",
        "المساعدات",
        "5.2",
        "مليون",
        "دولار",
        "ل",
        "2,500",
        "اسره",
    ]


def test_stems_join_inflected_forms():
    forms = stems("الاتفاق والاتفاقات اتفاقية اتفاقاً")
    assert len(set(forms)) == 1


def test_has_arabic():
    assert has_arabic("وصل الوفد إلى العاصمة صباح اليوم")
    assert not has_arabic("Breaking news: the delegation arrived 2024")


SCRAPED = """صحيفة يومية تصدر عن مؤسسة النهار للطباعة
A A
03/05/2024
الرباط - وقّع وزيرا الزراعة في المغرب وموريتانيا اتفاقية لتبادل البذور المحسنة، وذلك في ختام اجتماع اللجنة المشتركة.
اقرأ أيضاً: ارتفاع أسعار الأسمدة في الأسواق المحلية
نتائج الاجتماع
وتنص الاتفاقية على إنشاء مختبر مشترك لفحص البذور بتمويل قدره 12 مليون دولار خلال ثلاث سنوات.
وقّع وزيرا الزراعة في المغرب وموريتانيا اتفاقية لتبادل البذور المحسنة في ختام اجتماع اللجنة المشتركة
وقال الوزير المغربي إن المختبر سيفتح أبوابه أمام الباحثين من البلدين مطلع العام المقبل.
شارك المقال
تابعونا على فيسبوك وتويتر
App Store Play Store
التعليقات"""


def test_clean_removes_junk_and_keeps_the_article_sentences():
    clean = clean_text(SCRAPED, title="المغرب وموريتانيا يوقعان اتفاقية للبذور")
    text = clean.text
    assert "اقرأ أيضاً" not in text
    assert "تابعونا" not in text and "App Store" not in text and "التعليقات" not in text
    assert "صحيفة يومية" not in text and "A A" not in text
    assert "نتائج الاجتماع" not in text  # a sub-heading
    assert text.startswith("وقّع وزيرا الزراعة")  # the dateline "الرباط - " is gone, spelling kept
    assert "12 مليون دولار" in text
    assert "سيفتح أبوابه" in text
    assert len(clean.paragraphs) == 3  # the pull-quote repeating the first paragraph is dropped
    assert clean.dateline_date is not None and clean.dateline_date.month == 5


def test_clean_joins_hard_wrapped_lines():
    wrapped = (
        "أعلنت وزارة الصحة اليوم عن افتتاح ثلاثة مستشفيات جديدة في المحافظات\n"
        "الجنوبية، وقالت إن المستشفيات ستعمل بكامل طاقتها قبل نهاية الشهر\n"
        "المقبل. وأضافت الوزارة أن كل مستشفى يضم مئتي سرير وقسماً للطوارئ\n"
        "وآخر لرعاية الأطفال حديثي الولادة، وأن التوظيف بدأ بالفعل في\n"
        "المدن الثلاث.\n"
    )
    clean = clean_text(wrapped)
    assert len(clean.paragraphs) == 1
    assert "المحافظات الجنوبية" in clean.text
    sentences = split_sentences(clean.text)
    assert len(sentences) == 2
    assert sentences[0].endswith("الشهر المقبل.")


def test_boilerplate_patterns_match_spelling_variants():
    assert is_boilerplate("إقرأ أيضا: خبر آخر")
    assert is_boilerplate("اقرأ أيضاً: خبر آخر")
    assert not is_boilerplate("وأكد الوزير أن الاتفاق يشمل قراءة جديدة للموازنة")


def test_split_on_arabic_punctuation_and_quotes():
    text = 'هل ينجح الاتفاق الجديد؟ يرى الخبراء ذلك ممكناً! وقال المتحدث: "سنبدأ التنفيذ فوراً." ثم غادر القاعة مسرعاً؛ ولم يجب عن الأسئلة.'
    assert split_sentences(text) == [
        "هل ينجح الاتفاق الجديد؟",
        "يرى الخبراء ذلك ممكناً!",
        'وقال المتحدث: "سنبدأ التنفيذ فوراً."',
        "ثم غادر القاعة مسرعاً؛ ولم يجب عن الأسئلة.",
    ]


def test_split_keeps_numbers_abbreviations_and_ellipses():
    text = "قال د. سامي إن النمو بلغ 5.2 في المئة وإن الصادرات تجاوزت 2,500 طن... وهو رقم قياسي. وقال الوزير إن الخطة مستمرة."
    assert split_sentences(text) == [
        "قال د. سامي إن النمو بلغ 5.2 في المئة وإن الصادرات تجاوزت 2,500 طن... وهو رقم قياسي.",
        "وقال الوزير إن الخطة مستمرة.",
    ]


def test_split_never_leaves_one_or_two_word_fragments():
    sentences = split_sentences("انتهى الاجتماع. نعم. وقال الرئيس إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة.")
    assert all(len(s.split()) >= 3 for s in sentences)
    assert any("نعم." in s for s in sentences)
