"""EASC evaluation harness: Arabic ROUGE, word budget, baselines, the evaluate.py CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from evaluation import harness
from evaluation.baselines import RANKERS, article_sentences, compose, summarize_with, truncate_to_budget
from evaluation.easc import load_easc, word_budget, word_count
from evaluation.rouge import ArabicTokenizer, mean_scores, score_summary

ROOT = Path(__file__).resolve().parents[1]
EASC = ROOT.parent / "shared" / "data" / "easc-dev.jsonl"
SCRIPT = ROOT / "scripts" / "evaluate.py"
sys.path.insert(0, str(ROOT / "scripts"))
import evaluate as evaluate_cli  # noqa: E402

ARTICLE = (
    "أعلنت وزارة الزراعة اليوم إطلاق خطة وطنية لزراعة مليون شجرة في المحافظات الجنوبية خلال ثلاث سنوات. "
    "وقال وزير الزراعة إن الخطة تهدف إلى وقف زحف الرمال وتحسين جودة الهواء في المدن الكبرى. "
    "وتبلغ تكلفة المشروع نحو مئة وعشرين مليون دينار تمولها الحكومة وعدد من الشركات الخاصة. "
    "وسيشارك في التشجير طلاب المدارس والجامعات ومتطوعون من الجمعيات الأهلية في كل محافظة. "
    "وأشار الوزير إلى أن المرحلة الأولى تبدأ في الخريف المقبل بزراعة مئتي ألف شجرة زيتون ونخيل. "
    "ورحبت جمعيات حماية البيئة بالخطة لكنها طالبت بتوفير مياه الري الكافية قبل البدء بالزراعة. "
    "ويعاني الجنوب منذ سنوات من موجات جفاف متكررة أدت إلى تراجع المساحات الخضراء بشكل كبير."
)


def _references(*texts: str) -> tuple[str, ...]:
    return tuple(texts)


def _write_easc(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def _record(article_id: str = "t1") -> dict:
    first, second = ARTICLE.split(". ")[:2]
    return {"id": article_id, "title": "خطة لزراعة مليون شجرة", "text": ARTICLE,
            "references": [f"{first}.", f"{first}. {second}.", f"{second}.", f"{first}.", f"{first}."]}


# --- ROUGE -------------------------------------------------------------------------------------------


def test_tokenizer_keeps_arabic_and_folds_alef_hamza_and_diacritics():
    tokens = ArabicTokenizer().tokenize("أعلنَ الوزيرُ إطلاقَ المبادرة، وآخرون")
    assert tokens == ["اعلن", "الوزير", "اطلاق", "المبادره", "واخرون"]


def test_rouge_matches_spelling_variants_that_the_default_tokenizer_drops():
    summary = "أعلن الوزير إطلاق المبادرة"
    reference = "اعلن الوزير اطلاق المبادره"
    assert score_summary(summary, [reference]).rouge1 == pytest.approx(1.0)
    # rouge-score's own tokenizer keeps only [a-z0-9]: the same pair scores nothing.
    default = rouge_scorer.RougeScorer(["rouge1"]).score(reference, summary)["rouge1"].fmeasure
    assert default == 0.0


def test_rouge_is_averaged_over_references_then_articles():
    summary = "زار الوفد المصنع الجديد"
    perfect, unrelated = "زار الوفد المصنع الجديد", "هطلت أمطار غزيرة على الساحل"
    one = score_summary(summary, [perfect, unrelated])
    assert one.rouge1 == pytest.approx(0.5)
    assert one.rouge2 == pytest.approx(0.5)
    both = mean_scores([one, score_summary(summary, [perfect])])
    assert both.rouge1 == pytest.approx(0.75)


# --- budget ------------------------------------------------------------------------------------------


def test_word_budget_is_mean_reference_length_in_rouge_words():
    # Punctuation is not a word; "2,500" is one word.
    refs = ["وصل الوفد ، ثم غادر .", "بلغت الصادرات 2,500 طن هذا العام تقريبا"]
    assert [word_count(r) for r in refs] == [4, 7]
    assert word_budget(refs) == 6  # round(5.5) with banker's rounding -> 6
    assert word_budget(["واحد اثنان ثلاثة"]) == 3


def test_truncate_and_compose_stay_within_budget_in_article_order():
    # The comma is kept but not counted: four words are "قال الوزير إن الخطة".
    assert truncate_to_budget("قال الوزير ، إن الخطة ستبدأ غدا", 4) == "قال الوزير ، إن الخطة"
    sentences = ["الجملة الأولى هنا.", "الجملة الثانية هنا أيضا.", "الجملة الثالثة والأخيرة هنا."]
    # Best-ranked first (third, then first) until the budget is met, shown in article order, cut at budget.
    assert compose(sentences, [2, 0, 1], 6) == "الجملة الأولى هنا. الجملة الثالثة والأخيرة"


# --- baselines ---------------------------------------------------------------------------------------


def test_article_sentences_joins_hard_wrapped_lines():
    wrapped = ARTICLE.replace("خطة وطنية لزراعة", "خطة وطنية\nلزراعة").replace("وقف زحف", "وقف\nزحف")
    wrapped = wrapped.replace("نحو مئة", "نحو\nمئة").replace("طلاب المدارس", "طلاب\nالمدارس")
    sentences = article_sentences(wrapped)
    assert sentences[0].startswith("أعلنت وزارة الزراعة")
    assert "خطة وطنية لزراعة مليون شجرة" in sentences[0]
    assert len(sentences) == 7


@pytest.mark.parametrize("name", sorted(RANKERS))
def test_baselines_give_nonempty_summaries_within_budget(name):
    sentences = article_sentences(ARTICLE)
    assert len(sentences) == 7
    ranking = RANKERS[name](sentences)
    assert sorted(ranking) == list(range(7))
    for budget in (12, 40):
        summary = summarize_with(name, sentences, budget)
        assert summary
        assert 0.8 * budget <= word_count(summary) <= budget
        assert all(token in ARTICLE for token in summary.split())


def test_lead_takes_the_opening_sentences():
    sentences = article_sentences(ARTICLE)
    summary = summarize_with("lead", sentences, word_count(sentences[0]) + 3)
    assert summary.startswith(sentences[0])
    assert summary.split()[-3:] == sentences[1].split()[:3]


# --- CLI ---------------------------------------------------------------------------------------------


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    return err


def test_cli_missing_data_file_is_one_line_subprocess(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "easc", "--data", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"error: --data: no such file: {tmp_path / 'nope.jsonl'}"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"id": "a", "text": "نص", "references": ["مرجع"]}\n{not json\n', ":2: not valid JSON"),
        ('{"id": "a", "text": "نص المقال هنا"}\n', "'references' must be a non-empty list"),
        ('["text"]\n', "expected a JSON object"),
        ("\n\n", "no EASC records"),
    ],
)
def test_cli_invalid_data_file(tmp_path, capsys, content, expected):
    data = tmp_path / "bad.jsonl"
    data.write_text(content, encoding="utf-8")
    assert evaluate_cli.main(["easc", "--data", str(data), "--out", str(tmp_path / "o.jsonl")]) == 2
    err = _one_error_line(capsys)
    assert err.startswith("error: --data:") and expected in err


def test_cli_bad_arguments(tmp_path, capsys):
    data = _write_easc(tmp_path / "d.jsonl", [_record()])
    assert evaluate_cli.main(["easc", "--data", str(data), "--out", str(tmp_path / "o"), "--limit", "0"]) == 2
    assert "--limit" in _one_error_line(capsys)
    assert evaluate_cli.main(["easc", "--data", str(data), "--out", str(tmp_path / "no" / "o.jsonl")]) == 2
    assert "--out" in _one_error_line(capsys)
    with pytest.raises(SystemExit) as exit_info:
        evaluate_cli.main(["easc", "--out", "x"])
    assert exit_info.value.code == 2
    assert "--data" in _one_error_line(capsys)


def test_cli_reports_missing_engine_for_mojaz_only_and_keeps_old_output(tmp_path, capsys, monkeypatch):
    def unavailable():
        raise harness.SystemUnavailable("app.engine.summarize_document is not available")

    monkeypatch.setattr(harness, "mojaz_summarizer", unavailable)
    data = _write_easc(tmp_path / "d.jsonl", [_record("a"), _record("b")])
    out = tmp_path / "summaries.jsonl"
    out.write_text("earlier run\n", encoding="utf-8")
    assert evaluate_cli.main(["easc", "--data", str(data), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == "error: mojaz: app.engine.summarize_document is not available"
    for name in RANKERS:
        assert f"| {name} | 0." in captured.out
    assert out.read_text(encoding="utf-8") == "earlier run\n"


def test_cli_on_own_articles_writes_one_summary_per_article(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(harness, "mojaz_summarizer", lambda: lambda article: article.text)
    data = _write_easc(tmp_path / "d.jsonl", [_record("a"), _record("b")])
    out = tmp_path / "summaries.jsonl"
    assert evaluate_cli.main(["easc", "--data", str(data), "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    budget = load_easc(data)[0].word_budget
    assert all(word_count(line["summary"]) == budget for line in lines)  # whole article, cut to budget
    assert "mojaz exceeded the budget on 2 articles" in capsys.readouterr().out


# --- real EASC data ----------------------------------------------------------------------------------


@pytest.mark.skipif(not EASC.is_file(), reason=f"EASC data not found at {EASC}")
def test_harness_on_first_five_easc_articles(tmp_path, capsys):
    out = tmp_path / "easc.jsonl"
    code = evaluate_cli.main(["easc", "--data", str(EASC), "--out", str(out), "--limit", "5"])
    captured = capsys.readouterr()
    rows = {line.split("|")[1].strip(): line for line in captured.out.splitlines() if line.startswith("| ")}
    assert set(RANKERS) <= set(rows)
    lead_r1 = float(rows["lead"].split("|")[2])
    assert 0.3 < lead_r1 < 0.9
    if code == 1:  # the engine's single-document path is not there yet: only mojaz may fail
        assert captured.err.startswith("error: mojaz:")
        return
    assert code == 0, captured.err
    summaries = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(summaries) == 5 and all(s["summary"] for s in summaries)
    assert float(rows["mojaz"].split("|")[2]) > 0.3
