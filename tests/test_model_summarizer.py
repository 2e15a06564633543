"""The model stage on a tiny random-weight model built by the tests (tests/conftest.py: tiny_model_dir).

That the product's beam search gives the library's tokens is tested on a model whose output depends on
its input: tests/test_model_identical_tokens.py; kept abstractive summaries: tests/test_model_end_to_end.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from app.articles import Article
from app.config import Settings
from app.model import load_summarizer
from app.model.generation import generate_texts
from app.model.guard import split_generated
from app.model.numerics import resolve_numerics
from app.model.summarizer import Seq2SeqSummarizer
from app.summarizer import SummaryRequest
from app.text.normalize import has_arabic, normalize

ROOT = Path(__file__).resolve().parents[1]

# Three reports of one event, written for these tests.
ARTICLES = {
    "riyadh-daily": (
        "افتتح وزير الصحة صباح الأحد مستشفى الملك سلمان الجديد في شمال الرياض بسعة 300 سرير.\n"
        "وقال الوزير في كلمة خلال الافتتاح إن المستشفى سيخدم أكثر من مليون نسمة في الأحياء الشمالية.\n"
        "وبلغت تكلفة المشروع 450 مليون ريال واستغرق العمل فيه ثلاث سنوات.\n"
        "ويضم المستشفى قسما للطوارئ يعمل على مدار الساعة ومركزا لعلاج أمراض القلب."
    ),
    "gulf-news": (
        "بدأ مستشفى الملك سلمان في الرياض استقبال المرضى بعد افتتاحه رسميا يوم الأحد.\n"
        "وأوضحت وزارة الصحة أن المستشفى يضم 300 سرير و40 غرفة عمليات وعيادات خارجية.\n"
        "وأكد مدير المستشفى أن المرحلة الأولى تشمل تشغيل قسم الطوارئ والعيادات فقط."
    ),
    "health-wire": (
        "قالت وزارة الصحة إن افتتاح مستشفى الملك سلمان يخفف الضغط على مستشفيات وسط الرياض.\n"
        "وأشارت الوزارة إلى أن المستشفى وظف 1,200 من الأطباء والممرضين والفنيين.\n"
        "ومن المقرر افتتاح مستشفيين آخرين في جدة والدمام خلال العام المقبل."
    ),
}


def request_for(article_id: str, text: str | None = None) -> SummaryRequest:
    text = ARTICLES[article_id] if text is None else text
    sentences = text.split("\n")
    return SummaryRequest(article_id, text, sentences, fallback=sentences[0])


def assert_guarded(request: SummaryRequest, result) -> None:
    assert result.article_id == request.article_id and result.summary.strip()
    if result.kind == "abstractive":  # every kept sentence survived the guard: its numbers are sourced
        assert numbers(result.summary) <= numbers(request.text)
    else:  # random weights write junk: the guard replaced it by the key sentence and said so
        assert result.summary == request.fallback
        assert any("fact guard" in note for note in result.notes)


def numbers(text: str) -> set[str]:
    return {w for w in normalize(text).replace(",", "").split() if w.rstrip(".").isdigit()}


@pytest.fixture
def settings(tiny_model_dir: Path, tmp_path: Path) -> Settings:
    # One thread: on a small, busy CPU a tiny model spends its time in OpenMP hand-offs, not arithmetic.
    return Settings(model=str(tiny_model_dir), cache_path=tmp_path / "summaries.sqlite3", quantize=True,
                    model_threads=1)


@pytest.fixture
def tiny(settings: Settings) -> Seq2SeqSummarizer:
    summarizer, status = load_summarizer(settings=settings)
    assert status.mode == "abstractive+extractive", status.reason
    assert isinstance(summarizer, Seq2SeqSummarizer)
    return summarizer


class ScriptedGenerate:
    """Stands in for model.generate: returns the token ids of chosen texts and counts the rows asked for."""

    def __init__(self, tokenizer, texts: list[str]) -> None:
        self.tokenizer, self.texts, self.calls, self.rows = tokenizer, texts, 0, 0

    def __call__(self, input_ids: torch.Tensor, **kwargs) -> torch.Tensor:
        self.calls += 1
        encoded = [self.tokenizer(self.texts[(self.rows + i) % len(self.texts)])["input_ids"]
                   for i in range(input_ids.shape[0])]
        self.rows += input_ids.shape[0]
        width = max(map(len, encoded))
        pad = self.tokenizer.pad_token_id
        return torch.tensor([ids + [pad] * (width - len(ids)) for ids in encoded])


def script(summarizer: Seq2SeqSummarizer, monkeypatch: pytest.MonkeyPatch, texts: list[str]) -> ScriptedGenerate:
    fake = ScriptedGenerate(summarizer.tokenizer, texts)
    monkeypatch.setattr(summarizer.model, "generate", fake)
    return fake


# -- loading ----------------------------------------------------------------------------------------

def test_loads_the_tiny_model_from_a_folder_with_the_cpus_numerics_and_threads(
    tiny: Seq2SeqSummarizer, settings: Settings
) -> None:
    _, status = load_summarizer(settings=settings)
    assert status.model == str(settings.model)
    assert "mbart" in status.reason and status.load_seconds > 0
    assert torch.get_num_threads() == settings.model_threads
    expected = resolve_numerics("auto")  # bf16 on a CPU with AMX, int8 elsewhere
    assert tiny.numerics == expected and expected in status.reason


@pytest.mark.parametrize("numerics", ["bf16-int8", "int8", "bf16", "fp32"])
def test_numerics_setting_converts_the_model(tiny_model_dir: Path, tmp_path: Path, numerics: str) -> None:
    summarizer, status = load_summarizer(settings=Settings(
        model=str(tiny_model_dir), numerics=numerics, model_threads=1, cache_path=tmp_path / "c.db"))
    assert summarizer.numerics == numerics and numerics in status.reason
    model = summarizer.model
    int8 = {name for name, m in model.named_modules() if type(m).__module__.startswith("torch.ao.nn.quantized.dynamic")}
    dtypes = {p.dtype for p in model.parameters()}
    if numerics == "int8":
        assert "lm_head" in int8 and any(".encoder." in name for name in int8) and dtypes == {torch.float32}
    elif numerics == "bf16-int8":  # int8 only where a decoding step runs; the encoder stays bf16
        assert "lm_head.int8" in int8 and any("decoder.layers.0.fc1" in name for name in int8)
        assert not any(".encoder." in name or "encoder_attn.k_proj" in name for name in int8)
        assert dtypes == {torch.bfloat16}
    else:
        assert not int8 and dtypes == {torch.bfloat16 if numerics == "bf16" else torch.float32}


def test_quantize_false_still_means_fp32(tiny_model_dir: Path, tmp_path: Path) -> None:
    summarizer, status = load_summarizer(settings=Settings(
        model=str(tiny_model_dir), quantize=False, numerics="int8", model_threads=1, cache_path=tmp_path / "c.db"))
    assert summarizer.numerics == "fp32" and "fp32" in status.reason


def test_missing_model_folder_means_extractive_mode_with_the_reason(tmp_path: Path) -> None:
    summarizer, status = load_summarizer(str(tmp_path / "no-such-model"))
    assert summarizer is None
    assert status.mode == "extractive"
    assert "not found" in status.reason and "download_model.py" in status.reason


@pytest.mark.parametrize("damage", ["weights", "config"])
def test_corrupt_model_folder_means_extractive_mode_with_the_reason(
    tiny_model_dir: Path, tmp_path: Path, damage: str
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, broken)
    if damage == "weights":
        (broken / "model.safetensors").write_bytes(b"\x00not safetensors at all" * 10)
    else:
        (broken / "config.json").write_text("{ this is not json", encoding="utf-8")
    summarizer, status = load_summarizer(str(broken))
    assert summarizer is None
    assert status.mode == "extractive"
    assert status.reason.startswith("could not load model") and str(broken) in status.reason


def test_model_none_is_extractive_without_trying_to_load() -> None:
    summarizer, status = load_summarizer("none")
    assert summarizer is None and status.mode == "extractive" and status.reason == "no model configured"


# -- summaries --------------------------------------------------------------------------------------

def test_real_arabic_articles_get_a_guarded_summary_each_in_one_batch(tiny: Seq2SeqSummarizer) -> None:
    requests = [request_for(article_id) for article_id in ARTICLES]
    results = tiny.summarize(requests)
    assert [r.article_id for r in results] == list(ARTICLES)
    assert tiny.generate_calls == 1  # all three articles went to the model together
    for request, result in zip(requests, results, strict=True):
        assert_guarded(request, result)


def test_faithful_generated_summary_is_kept_abstractive(tiny: Seq2SeqSummarizer, monkeypatch) -> None:
    script(tiny, monkeypatch, ["افتتح وزير الصحة مستشفى الملك سلمان في الرياض بسعة 300 سرير."])
    (result,) = tiny.summarize([request_for("riyadh-daily")])
    assert result.kind == "abstractive"
    assert result.summary == "افتتح وزير الصحة مستشفى الملك سلمان في الرياض بسعة 300 سرير."
    assert result.notes == []


def test_generated_number_absent_from_the_article_is_caught(tiny: Seq2SeqSummarizer, monkeypatch) -> None:
    script(tiny, monkeypatch, ["افتتح وزير الصحة مستشفى في الرياض بسعة 500 سرير."])
    (result,) = tiny.summarize([request_for("riyadh-daily")])
    assert result.kind == "extractive"
    assert result.summary == request_for("riyadh-daily").fallback
    assert any("500" in note for note in result.notes)


def test_only_the_unsupported_sentence_is_dropped(tiny: Seq2SeqSummarizer, monkeypatch) -> None:
    script(tiny, monkeypatch, ["وظف المستشفى 1,200 من الأطباء والممرضين. وسيفتتح مستشفى آخر في أبها."])
    (result,) = tiny.summarize([request_for("health-wire")])
    assert result.kind == "abstractive"
    assert split_generated(result.summary) == ["وظف المستشفى 1,200 من الأطباء والممرضين."]
    assert len(result.notes) == 1 and "ابها" in normalize(result.notes[0])


def test_long_article_is_chunked_by_sentences_and_every_chunk_is_summarized(
    tiny: Seq2SeqSummarizer, monkeypatch
) -> None:
    text = "\n".join(
        f"وفي اليوم {day} من الشهر زار المستشفى وفد من {day + 10} طبيبا واطلع على قسم الطوارئ والعيادات."
        for day in range(1, 41)
    )
    request = request_for("riyadh-daily", text)
    chunks = tiny.chunks(request)
    budget = tiny.chunk_budget()
    assert len(chunks) > 1
    assert all(len(tiny.tokenizer(c, add_special_tokens=False)["input_ids"]) <= budget for c in chunks)
    covered = " ".join(tiny.preprocessor.unpreprocess(c) for c in chunks)
    assert covered.split() == text.split()  # all content, in order, nothing truncated

    fake = script(tiny, monkeypatch, ["زار المستشفى وفد واطلع على قسم الطوارئ."])
    (result,) = tiny.summarize([request])
    assert fake.rows == len(chunks)
    assert result.summary == "زار المستشفى وفد واطلع على قسم الطوارئ."  # chunk summaries merged without repeats


def test_second_call_is_served_from_the_cache_without_generating(
    tiny: Seq2SeqSummarizer, settings: Settings, monkeypatch
) -> None:
    fake = script(tiny, monkeypatch, ["افتتح وزير الصحة مستشفى الملك سلمان في الرياض."])
    requests = [request_for(article_id) for article_id in ARTICLES]
    first = tiny.summarize(requests)
    assert fake.calls == 1 and not any(r.cached for r in first)
    second = tiny.summarize(requests)
    assert fake.calls == 1  # no generation at all
    assert all(r.cached for r in second)
    assert [r.summary for r in second] == [r.summary for r in first]

    other_worker, _ = load_summarizer(settings=settings)  # same cache file, another process's view
    other_fake = script(other_worker, monkeypatch, ["لن يستدعى"])
    assert [r.summary for r in other_worker.summarize(requests)] == [r.summary for r in first]
    assert other_fake.calls == 0


def test_changed_article_text_misses_the_cache(tiny: Seq2SeqSummarizer, monkeypatch) -> None:
    fake = script(tiny, monkeypatch, ["افتتح وزير الصحة مستشفى الملك سلمان في الرياض."])
    tiny.summarize([request_for("riyadh-daily")])
    tiny.summarize([request_for("riyadh-daily", ARTICLES["riyadh-daily"] + "\nوحضر الافتتاح عدد من المسؤولين.")])
    assert fake.calls == 2


def test_model_failure_falls_back_to_key_sentences_with_a_note(tiny: Seq2SeqSummarizer, monkeypatch) -> None:
    def broken(**kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(tiny.model, "generate", broken)
    (result,) = tiny.summarize([request_for("gulf-news")])
    assert result.kind == "extractive" and result.summary == request_for("gulf-news").fallback
    assert "out of memory" in result.notes[0]


@pytest.mark.parametrize("numerics", ["fp32", "int8", "bf16", "bf16-int8"])
def test_every_numerics_keeps_the_tiny_model_outputs_valid(
    tiny_model_dir: Path, tmp_path: Path, numerics: str
) -> None:
    summarizer, _ = load_summarizer(settings=Settings(
        model=str(tiny_model_dir), numerics=numerics, model_threads=1, cache_path=tmp_path / "c.db"))
    texts = [tiny_prep(ARTICLES[a]) for a in ARTICLES]
    generated = generate_texts(summarizer.model, summarizer.tokenizer, texts, summarizer.generation)
    assert len(generated) == 3 and all(text.strip() for text in generated)
    assert all(has_arabic(text) for text in generated)  # the tiny vocabulary is Arabic: real tokens decoded
    requests = [request_for(article_id) for article_id in ARTICLES]
    for request, result in zip(requests, summarizer.summarize(requests), strict=True):
        assert_guarded(request, result)


def tiny_prep(text: str) -> str:
    return " ".join(text.split())


# -- with the engine and the CLI --------------------------------------------------------------------

def test_briefing_with_the_tiny_model_is_abstractive_plus_extractive(settings: Settings) -> None:
    from app.engine import build_briefing

    summarizer, status = load_summarizer(settings=settings)
    articles = [Article(id=article_id, title="", text=text, source=article_id) for article_id, text in ARTICLES.items()]
    briefing = build_briefing(articles, summarizer=summarizer, model_status=status)
    assert briefing.mode == "abstractive+extractive"
    assert briefing.model == str(settings.model)
    assert [a.id for a in briefing.articles] == list(ARTICLES)
    assert all(a.summary.strip() for a in briefing.articles)
    assert briefing.key_points  # the engine's sourced key points stay
    for brief in briefing.articles:
        if brief.summary_kind == "extractive":  # replaced by the guard: the briefing says so
            assert any(w.startswith(f"article {brief.id}:") for w in briefing.warnings)


def test_cli_brief_with_model_folder_and_without(tiny_model_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "event"
    folder.mkdir()
    for article_id, text in ARTICLES.items():
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "MOJAZ_CACHE_PATH": str(tmp_path / "cli.sqlite3"), "MOJAZ_MODEL_THREADS": "1"}
    base = [sys.executable, "-m", "app", "brief", str(folder), "--format", "json"]
    with_model = subprocess.run([*base, "--model", str(tiny_model_dir)], capture_output=True, text=True,
                                cwd=ROOT, env=env, timeout=120)
    assert with_model.returncode == 0, with_model.stderr
    assert '"mode": "abstractive+extractive"' in with_model.stdout
    without = subprocess.run([*base, "--model", str(tmp_path / "missing")], capture_output=True, text=True,
                             cwd=ROOT, env=env, timeout=120)
    assert without.returncode == 0, without.stderr
    assert '"mode": "extractive"' in without.stdout and "not found" in without.stdout


def test_ctranslate2_copy_in_the_model_folder_is_used_when_installed(tiny_model_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("ctranslate2")
    from app.model.ct2 import convert_to_ct2

    folder = tmp_path / "tiny-ct2"
    shutil.copytree(tiny_model_dir, folder)
    convert_to_ct2(folder)
    summarizer, status = load_summarizer(
        settings=Settings(model=str(folder), cache_path=tmp_path / "ct2.sqlite3", model_threads=1)
    )
    assert status.mode == "abstractive+extractive" and "CTranslate2 int8" in status.reason
    assert summarizer.model is None  # the torch weights are not loaded beside it
    generated = summarizer.generator([tiny_prep(ARTICLES["gulf-news"])], summarizer.generation, 256)
    assert len(generated) == 1 and generated[0].strip()
    requests = [request_for(article_id) for article_id in ARTICLES]
    for request, result in zip(requests, summarizer.summarize(requests), strict=True):
        assert_guarded(request, result)
