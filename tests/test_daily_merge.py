"""A lone article joins a story about its event, not one it only dates itself by.

Every article here is written for these tests."""

from __future__ import annotations

from app.daily.stories import group_stories
from tests.test_daily_scale import article, ids

BRIDGE = [
    article("b1", "الرياض", "افتتاح جسر الملك حمد الجديد بين الخبر والمنامة",
            "افتتح اليوم جسر الملك حمد الجديد بين الخبر والمنامة بحضور قادة البلدين."),
    article("b2", "عكاظ", "قادة البلدين يفتتحون جسر الملك حمد الجديد",
            "شهد قادة البلدين افتتاح جسر الملك حمد الجديد بين الخبر والمنامة في حفل رسمي."),
]
STAMP = article("s1", "اليوم", "طابع تذكاري يوثق جسر الملك حمد",
                "أصدرت هيئة البريد طابعا تذكاريا يحمل صورة جسر الملك حمد الجديد، بمناسبة افتتاحه بين الخبر والمنامة.",
                30)
# Its opening names the bridge's opening, but only to say when the raid happened.
RAID = article("r1", "الوطن", "ضبط 40 مخالفا لنظام الإقامة في حي شعبي",
               "قبل ساعات من افتتاح جسر الملك حمد الجديد بين الخبر والمنامة، ضبطت دوريات الأمن 40 مخالفا لنظام "
               "الإقامة في حي شعبي وأحالتهم إلى الترحيل.", 40)
OTHER = [
    article("o1", "المدينة", "أمطار غزيرة على مرتفعات عسير", "هطلت أمطار غزيرة على مرتفعات عسير وجرت الأودية."),
    article("o2", "سبق", "الهلال يتعاقد مع مدافع برازيلي", "أعلن نادي الهلال التعاقد مع مدافع برازيلي لموسمين."),
]


def test_a_lone_article_joins_its_event_not_the_event_it_is_dated_by() -> None:
    day = [*BRIDGE, STAMP, RAID, *OTHER]
    # A strict word cut (0.6), so that the stamp and the raid are lone articles before the merging.
    unmerged = group_stories(day, meaning=False, merge_fragments=False, threshold=0.6)
    assert [ids(s) for s in unmerged.stories] == [["b1", "b2"]]
    assert {"s1", "r1"} <= {a.id for a in unmerged.singles}

    merged = group_stories(day, meaning=False, threshold=0.6)

    assert [ids(s) for s in merged.stories] == [["b1", "b2", "s1"]]  # the stamp is about the bridge
    assert "r1" in {a.id for a in merged.singles}  # the raid only happened before it
    assert merged.merged_fragments == 1
