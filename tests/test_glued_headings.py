"""A sub-heading, caption or dateline glued to its sentence on the same line is cut off; a sentence that opens
with its own short subject keeps it. All text is written for these tests."""

import pytest

from app.text.clean import clean_text
from app.text.headings import strip_glued_heading

GLUED = [
    (
        "بطولة أندية الجنوب تغلب فريق الوحدة على ضيفه فريق النجمة بثلاثة أهداف مقابل هدف في الجولة الثانية.",
        "تغلب فريق الوحدة على ضيفه فريق النجمة بثلاثة أهداف مقابل هدف في الجولة الثانية.",
    ),
    (
        "سالم العتيبيحقق العداء الشاب سالم العتيبي الميدالية الذهبية في سباق عشرة آلاف متر أمس.",
        "حقق العداء الشاب سالم العتيبي الميدالية الذهبية في سباق عشرة آلاف متر أمس.",
    ),
    (
        "أبها يفتتح أمير المنطقة اليوم مهرجان الصيف بمشاركة أكثر من أربعين جهة حكومية وأهلية.",
        "يفتتح أمير المنطقة اليوم مهرجان الصيف بمشاركة أكثر من أربعين جهة حكومية وأهلية.",
    ),
    (
        "مهرجان الورد الطائفي افتتح محافظ الطائف مهرجان الورد الطائفي في نسخته العاشرة بحضور عدد من المسؤولين.",
        "افتتح محافظ الطائف مهرجان الورد الطائفي في نسخته العاشرة بحضور عدد من المسؤولين.",
    ),
]
KEPT = [
    "الوزارة أعلنت أمس أن التسجيل في البرنامج يبدأ مطلع الشهر المقبل عبر موقعها الإلكتروني.",
    "أبها تستضيف مهرجان الصيف هذا العام بمشاركة أكثر من أربعين جهة حكومية وأهلية.",
    "الهلال حقق فوزا كبيرا على النصر في ديربي العاصمة مساء أمس بثلاثة أهداف نظيفة.",
    "استقال رئيس النادي من منصبه مساء أمس بعد خلاف مع أعضاء مجلس الإدارة حول الميزانية.",
    "إثر ذلك دشن أمير المنطقة فعاليات يوم النحال الوطني في خيمة أقيمت على الكورنيش.",
    "أحد المشاركين في الندوة دعا أن تعرض الأفلام القصيرة في المدارس لتشجيع المواهب الشابة.",
    "استغلت إدارة النادي خطأ وقعت فيه إدارة المنافس حين أسقطت اسم اللاعب من كشوفاتها.",
]


@pytest.mark.parametrize(("glued", "sentence"), GLUED)
def test_a_glued_heading_is_cut_off(glued, sentence):
    assert strip_glued_heading(glued) == sentence


@pytest.mark.parametrize("sentence", KEPT)
def test_a_sentence_opening_with_its_own_subject_is_kept(sentence):
    assert strip_glued_heading(sentence) == sentence


def test_cleaning_cuts_the_heading_of_a_paragraph():
    text = "\n".join([GLUED[0][0], KEPT[0]])
    assert clean_text(text, title="الوحدة يتغلب على النجمة").paragraphs == [GLUED[0][1], KEPT[0]]
