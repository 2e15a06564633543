"""Arabic typed without full stops (issue 13): an over-long run is split at clause boundaries, never into
pieces over MAX_SENTENCE_WORDS, and punctuated text is left as it was. The text is written by us."""

from __future__ import annotations

from app.text.sentences import MAX_SENTENCE_WORDS, MIN_CLAUSE_WORDS, split_long_run, split_sentences

CLAUSES = [
    "افتتح وزير الصحة صباح اليوم مستشفى الأطفال الجديد في المدينة الشمالية بحضور عدد من المسؤولين والأطباء",
    "وأكد الوزير أن المستشفى يضم مئتي سرير وثلاث غرف للعمليات الجراحية ووحدة متكاملة لرعاية المواليد",
    "كما أشار إلى أن تكلفة المشروع بلغت خمسين مليون دينار بتمويل مشترك من الحكومة وصندوق التنمية",
    "فيما قال مدير المستشفى إن العمل سيبدأ الأسبوع المقبل بطاقم من مئة وعشرين طبيبا وممرضا من أبناء المنطقة",
    "بينما طالب سكان القرى المجاورة بتوفير حافلات تنقل المرضى من قراهم البعيدة إلى المستشفى كل يوم",
    "إلى ذلك أعلنت الوزارة أنها ستفتتح مركزين صحيين آخرين في الجنوب قبل نهاية العام الجاري وفق الخطة المعلنة",
]


# «كما أشار…» names no speaker: the standalone rule (issue 11) joins it to the clause before it.
SENTENCES = [CLAUSES[0], f"{CLAUSES[1]} {CLAUSES[2]}", *CLAUSES[3:]]


def test_an_unpunctuated_run_is_split_before_each_clause_opener() -> None:
    run = " ".join(CLAUSES)
    assert len(run.split()) > MAX_SENTENCE_WORDS
    assert split_long_run(run) == CLAUSES
    assert split_sentences(run) == SENTENCES


def test_no_piece_is_longer_than_the_limit_even_without_any_opener() -> None:
    # One clause's words repeated, no «و» + verb, no comma: cut into equal parts.
    words = CLAUSES[0].split()
    run = " ".join(words * 12)
    pieces = split_long_run(run)
    assert all(MIN_CLAUSE_WORDS <= len(p.split()) <= MAX_SENTENCE_WORDS for p in pieces)
    assert " ".join(pieces) == run  # nothing lost, nothing reordered


def test_commas_mark_clauses_too() -> None:
    run = "، ".join(CLAUSES[:1] + [c.split(" ", 1)[1] for c in CLAUSES[1:]])
    pieces = split_long_run(run)
    assert len(pieces) == len(CLAUSES)
    assert all(p.split()[-1].endswith("،") for p in pieces[:-1])


def test_punctuated_text_and_short_runs_are_untouched() -> None:
    text = ". ".join(CLAUSES) + "."
    assert split_sentences(text) == [CLAUSES[0] + ".", f"{CLAUSES[1]}. {CLAUSES[2]}.", *(c + "." for c in CLAUSES[3:])]
    assert split_long_run(CLAUSES[0]) == [CLAUSES[0]]
