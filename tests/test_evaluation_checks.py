"""`scripts/evaluate.py checks`: each kind of problem the reader should never see is counted, with examples."""

import json
import sys
from pathlib import Path

from evaluation.checks import citations_of, figures, run_checks, sample_citations
from tests.helpers import write

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import evaluate

FEED = {
    "a": {"title": "حريق في المستودع", "text": "أسفر الحريق عن 20 قتيلا؛ وذلك بسبب تأخر وصول فرق الإطفاء إلى الموقع.",
          "source": "okaz"},
    "b": {"title": "حصيلة الحريق", "text": "ارتفعت حصيلة الحريق إلى 27 قتيلا في عام 2015 وفق المصادر الطبية.",
          "source": "alwatan"},
    "c": {"title": "الدفاع المدني يحقق في الحريق", "text": "وقال مدير الدفاع المدني إن التحقيق بدأ مع،",
          "source": "sabq"},
    "d": {"title": "حريق المستودع", "text": "أسفر الحريق عن 20 قتيلا؛ وذلك بسبب تأخر وصول فرق الإطفاء.",
          "source": "was"},
}


def _report(tmp_path: Path) -> Path:
    briefing = {
        "headline": {"text": "حصيلة الحريق ترتفع", "sources": ["a", "b"]},
        "key_points": [
            {"text": "أسفر الحريق عن 20 قتيلا في المستودع الكبير.", "sources": ["a", "b"], "article_id": "a"},
            {"text": "وأصدرت الشرطة بيانا حول الحادث فيما يلي نصه:", "sources": ["a"], "article_id": "a"},
            {"text": "وذلك بسبب تأخر وصول فرق الإطفاء إلى الموقع.", "sources": ["a"], "article_id": "a"},
            {"text": "بحضور مدير الدفاع المدني ومحافظ المدينة وقائد الشرطة في الموقع،", "sources": ["a"],
             "article_id": "a"},
            {"text": "حيث عملت فرق الإطفاء طوال الليل لإخماد الحريق في المستودع.", "sources": ["a"], "article_id": "a"},
        ],
        "articles": [
            {"id": "a", "summary": "أسفر الحريق عن 20 قتيلا في المستودع الكبير."},
            {"id": "b", "summary": "ارتفعت حصيلة الحريق إلى 27 قتيلا في عام…"},
            {"id": "c", "summary": "وقال مدير الدفاع المدني إن التحقيق في أسباب الحريق بدأ مع."},
            {"id": "d", "summary": "لا يضيف جديدًا إلى ما سبق.", "summary_adds": False},
        ],
    }
    report = {"stories": [{"rank": 1, "articles": [{"id": "a"}, {"id": "b"}], "briefing": briefing}]}
    path = write(tmp_path / "2015-08-06.json", json.dumps(report, ensure_ascii=False))
    write(tmp_path / "2015-08-06.md", "# الموجز\n2 مصادر، 7 قصة · 11 مقالات · الوضع: extractive\n")
    write(tmp_path / "2015-08-06.html", "<p>مصدران، <bdi>3</bdi> مقالات · 12 قصة</p>")
    return path


def test_figures_leave_years_out():
    assert figures("بلغ 2,500 طن و50.35 دولار في 2015") == {"2500", "50.35"}


def test_every_kind_is_counted(tmp_path):
    findings = run_checks(_report(tmp_path), FEED, top=40)
    counts = {kind: len(found) for kind, found in findings.found.items()}
    assert counts == {
        "citation_lacks_figure": 1,  # b does not report 20
        "junk": 1,
        "fragment": 3,  # cut at «؛» in article a; a piece ending in «،»; «حيث…»
        "summary_repeats": 1,  # a's summary is the first key point
        "summary_cut": 1,
        "summary_fragment": 1,  # c's summary ends on «مع»
        "summary_adds_nothing": 1,  # d is agency copy
        "number_noun": 3,
        "english": 1,
    }
    assert "alwatan lacks ['20']" in findings.found["citation_lacks_figure"][0]
    assert findings.found["summary_adds_nothing"] == ["was: حريق المستودع"]


def test_checks_command_prints_counts_and_examples(tmp_path, capsys):
    report = _report(tmp_path)
    feed = write(tmp_path / "feed.jsonl", "".join(
        json.dumps({"id": i, "date": "2015-08-06 10:00:00", **a}, ensure_ascii=False) + "\n" for i, a in FEED.items()
    ))
    assert evaluate.main(["checks", str(report), "--feed", str(feed), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "citation_lacks_figure: 1" in out and "number_noun: 3" in out and "«2 مصادر»" in out
    assert evaluate.main(["checks", str(tmp_path / "missing.json"), "--feed", str(feed)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_citation_sample_is_seeded_and_shows_point_outlet_and_evidence(tmp_path, capsys):
    report = json.loads(_report(tmp_path).read_text(encoding="utf-8"))
    point = report["stories"][0]["briefing"]["key_points"][0]
    point["evidence"] = [
        {"article_id": "a", "sentence": "أسفر الحريق عن 20 قتيلا؛ وذلك بسبب تأخر وصول فرق الإطفاء."},
        {"article_id": "b", "sentence": "ارتفعت حصيلة الحريق إلى 27 قتيلا في عام 2015 وفق المصادر الطبية."},
    ]
    path = write(tmp_path / "2015-08-06.json", json.dumps(report, ensure_ascii=False))
    pool = citations_of(path, FEED, top=40)
    assert len(pool) == 6 and [c.own for c in pool] == [True, False, True, True, True, True]
    first, total = sample_citations(path, FEED, top=40, size=2, seed=1)
    assert total == 6 and sample_citations(path, FEED, top=40, size=2, seed=1)[0] == first  # repeatable
    others, total = sample_citations(path, FEED, top=40, size=5, seed=3, others_only=True)
    assert total == 1 and others[0].outlet == "alwatan" and "27 قتيلا" in others[0].evidence
    feed = write(tmp_path / "feed.jsonl", "".join(
        json.dumps({"id": i, "date": "2015-08-06 10:00:00", **a}, ensure_ascii=False) + "\n" for i, a in FEED.items()
    ))
    args = ["checks", str(path), "--feed", str(feed), "--sample-citations", "3", "--seed", "1", "--others-only"]
    assert evaluate.main(args) == 0
    out = capsys.readouterr().out
    assert "citations sampled: 1 of 1" in out and "alwatan (b, another article)" in out
    assert "evidence: ارتفعت حصيلة الحريق" in out
