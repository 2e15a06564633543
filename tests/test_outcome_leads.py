"""Leads that state the set's main outcome in different words are one key point; a lead on another angle
is not; a question title is no headline. The articles (a fictional port summit) are written for these tests."""

import dataclasses
from datetime import UTC, datetime

from app.articles import Article
from app.engine import build_briefing
from app.text.normalize import normalize


def _article(id_: str, title: str, *sentences: str) -> Article:
    return Article(id=id_, title=title, published_at=datetime(2024, 6, 2, 9, tzinfo=UTC), text=" ".join(sentences))


SIGNED = _article(
    "port-a",
    "قمة الموانئ تختتم باتفاق للربط السككي",
    "اختتمت اليوم الأحد في مدينة الدمام أعمال قمة الموانئ التي جمعت وزراء النقل في السعودية والكويت والبحرين، "
    "بتوقيع اتفاق إطار للربط السككي بين الموانئ الثلاثة وإطلاق صندوق تطوير مشترك برأسمال يبلغ ثلاثة مليارات ريال.",
    "وتبدأ أعمال المرحلة الأولى من الربط مطلع العام المقبل على أن تستمر ثلاثة أعوام.",
)
SIGNED_AGAIN = _article(
    "port-b",
    "السعودية والكويت والبحرين توقع في الدمام اتفاقا للربط السككي",
    "وقعت السعودية والكويت والبحرين، الأحد، في ختام قمة عقدت في الدمام، اتفاقا إطاريا لربط الموانئ بشبكة سكك "
    "حديدية، يتيح نقل مليوني حاوية سنويا بحلول نهاية العقد، في خطوة يرى خبراء أنها الأهم منذ سنوات.",
    "ويقول مسؤولون إن الشبكة ستخفف الضغط على الطرق البرية بين الدول الثلاث.",
)
ANGLE = _article(
    "port-c",
    "ماذا تعني اتفاقات قمة الدمام للتجارة؟",
    "لم تكن قمة الدمام التي اختتمت الأحد مجرد لقاء بروتوكولي بين السعودية والكويت والبحرين؛ "
    "فالأرقام التي خرجت بها تكشف عن رهان واضح على التجارة البحرية والنقل.",
    "وتبلغ تجارة الموانئ الثلاثة البينية نحو أربعة مليارات ريال في العام.",
)
STATEMENT = _article(
    "port-d",
    "البيان الختامي لقمة الدمام: ربط سككي وصندوق مشترك",
    "أعلنت السعودية والكويت والبحرين في ختام قمتها في الدمام، مساء الأحد، توقيع اتفاق إطار للربط السككي "
    "بين الموانئ الثلاثة وإطلاق صندوق مشترك للتطوير برأسمال ثلاثة مليارات ريال.",
    "ورحبت غرف التجارة في الدول الثلاث بنتائج القمة ووصفتها بأنها خطوة عملية.",
)


def _lead_points(briefing) -> list[str]:
    leads = {"اختتمت اليوم الأحد في مدينة الدمام", "وقعت السعودية والكويت والبحرين", "لم تكن قمة الدمام"}
    return [lead for lead in leads for p in briefing.key_points if normalize(p.text).startswith(normalize(lead))]


def test_two_leads_telling_the_main_outcome_are_one_point_and_another_angle_stays():
    briefing = build_briefing([SIGNED, SIGNED_AGAIN, ANGLE, STATEMENT])
    told = _lead_points(briefing)
    outcome = [lead for lead in told if not lead.startswith("لم تكن")]
    assert len(outcome) == 1, [p.text for p in briefing.key_points]
    assert "لم تكن قمة الدمام" in told


def test_a_question_title_never_heads_the_briefing():
    asking = [
        dataclasses.replace(SIGNED, title="عن ماذا أثمرت قمة الموانئ في الدمام؟"),
        dataclasses.replace(SIGNED_AGAIN, title="هل تغير قمة الدمام خريطة النقل في الخليج؟"),
    ]
    briefing = build_briefing(asking)
    headline = briefing.headline.text
    assert not headline.rstrip().endswith(("?", "؟")), headline
    assert len(headline.split()) <= 25 and not headline.endswith("…")
    assert any(normalize(headline.rstrip(".")) in normalize(p.text) for p in briefing.key_points)
    # A declarative title still wins over a key sentence.
    assert build_briefing([SIGNED, asking[1]]).headline.text == SIGNED.title


def test_under_a_callers_question_each_outcome_lead_stays_its_own_point():
    # The lead that answers the question comes first; the other outlets' leads stay, with their own citations.
    briefing = build_briefing([SIGNED, SIGNED_AGAIN, ANGLE, STATEMENT], focus="كم حاوية ستنقل الشبكة سنويا؟")
    assert "مليوني حاوية" in briefing.key_points[0].text
    assert len([lead for lead in _lead_points(briefing) if not lead.startswith("لم تكن")]) == 2
