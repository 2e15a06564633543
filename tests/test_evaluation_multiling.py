"""MultiLing evaluation: topic reading, lead, the 250-word cut, and `scripts/evaluate.py multiling`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from evaluation.easc import word_count
from evaluation.multiling import BUDGET, evaluate, format_report, lead_summary, load_topics

ROOT = Path(__file__).resolve().parents[1]
MULTILING = ROOT.parent / "shared" / "data" / "multiling2011-dev.jsonl"
sys.path.insert(0, str(ROOT / "scripts"))
import evaluate as evaluate_cli  # noqa: E402

ARTICLES = [
    {
        "id": "t-0",
        "title": "افتتاح جسر جديد",
        "text": "افتتح وزير النقل اليوم الجسر الجديد على النهر بطول ثلاثة كيلومترات بعد أربع سنوات من العمل. "
        "وقال الوزير إن الجسر سيختصر زمن الرحلة بين الضفتين إلى عشر دقائق.",
    },
    {
        "id": "t-1",
        "title": "الجسر الجديد يفتح أمام السيارات",
        "text": "الأحد\nفتح الجسر الجديد أبوابه أمام السيارات صباح اليوم وسط احتفال حضره آلاف السكان من المدينتين. "
        "وبلغت تكلفة المشروع نحو مئتي مليون دولار بتمويل حكومي كامل.",
    },
]
REFERENCE = "افتتح وزير النقل الجسر الجديد على النهر بطول ثلاثة كيلومترات وفتح أمام السيارات وسط احتفال السكان."


def _write(path: Path, topics: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in topics) + "\n", encoding="utf-8")
    return path


def _topic(**extra) -> dict:
    return {"id": "X001", "articles": ARTICLES, "references": [REFERENCE, REFERENCE], "peers": {"ID2": "جسر", **extra}}


def test_lead_takes_each_articles_first_sentence_of_six_words_in_turn(tmp_path):
    (topic,) = load_topics(_write(tmp_path / "t.jsonl", [_topic()]))
    lead = lead_summary(topic)
    assert lead.startswith("افتتح وزير النقل")
    assert lead.index("فتح الجسر الجديد أبوابه") < lead.index("وقال الوزير")  # both openings before any second
    assert "الأحد" not in lead.split()[:12]  # the one-word date line is not an opening
    assert word_count(lead_summary(topic, budget=10)) == 10


def test_every_system_is_cut_to_the_budget_and_scored(tmp_path):
    (topic,) = load_topics(_write(tmp_path / "t.jsonl", [_topic(ID10="كلمة " * 400)]))
    result = evaluate([topic])
    assert result.systems() == ["mojaz", "lead", "ID2", "ID10"]
    assert all(word_count(r.summary) <= BUDGET for r in result.rows)
    lead = result.mean("lead")
    assert lead.rouge1 > result.mean("ID2").rouge1 and 0 < lead.rouge2 <= lead.rouge1 <= 1
    report = format_report(result)
    assert "### X001" in report and "### mean over 1 topics" in report and "| ID10 |" in report


@pytest.mark.parametrize(
    ("topic", "problem"),
    [
        ({"id": "a", "articles": [], "references": ["x"]}, "'articles'"),
        ({"id": "a", "articles": ARTICLES, "references": []}, "'references'"),
        ({"id": "a", "articles": ARTICLES, "references": ["x"], "peers": {"ID1": 3}}, "'peers'"),
    ],
)
def test_bad_topics_are_input_errors_naming_the_line(tmp_path, capsys, topic, problem):
    path = _write(tmp_path / "bad.jsonl", [topic])
    assert evaluate_cli.main(["multiling", "--data", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "bad.jsonl:1" in err and problem in err


def test_cli_prints_tables_and_writes_every_summary(tmp_path, capsys):
    data = _write(tmp_path / "t.jsonl", [_topic()])
    out = tmp_path / "summaries.jsonl"
    assert evaluate_cli.main(["multiling", "--data", str(data), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| mojaz |" in printed and "| lead |" in printed
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["system"] for r in rows} == {"mojaz", "lead", "ID2"} and all(r["topic"] == "X001" for r in rows)


@pytest.mark.skipif(not MULTILING.is_file(), reason="../shared/data/multiling2011-dev.jsonl is not present")
def test_real_dev_topics_mojaz_reaches_lead():
    topics = load_topics(MULTILING)
    assert [t.id for t in topics] == ["M000", "M001", "M002", "M003"]
    result = evaluate(topics)
    mojaz, lead = result.mean("mojaz"), result.mean("lead")
    assert mojaz.rouge1 >= lead.rouge1 - 0.01 and mojaz.rouge2 >= lead.rouge2 - 0.01
    assert mojaz.rouge1 > result.mean("ID4").rouge1 + 0.03  # well above the best 2011 system
