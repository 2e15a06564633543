"""The model stage's parts without a model: chunking, the fact guard, preprocessing, the summary cache."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from app.model.cache import SummaryCache, cache_key
from app.model.chunking import chunk_sentences, merge_summaries
from app.model.guard import SourceFacts, common_word_set, guard_summary, unsupported_terms
from app.model.preprocess import ArticlePreprocessor
from app.prompts import lines

SOURCE = (
    "افتتحت وزارة الصحة مستشفى جديدا في مدينة الدمام بسعة 300 سرير وبتكلفة بلغت 2,300 مليون ريال. "
    "وقال وزير الصحة إن المستشفى سيخدم سكان المنطقة الشرقية ويضم قسما للطوارئ يعمل على مدار الساعة. "
    "وأضاف أن الوزارة ستفتتح مستشفيين آخرين في الأحساء والجبيل خلال عام 2026."
)
FALLBACK = "افتتحت وزارة الصحة مستشفى جديدا في مدينة الدمام بسعة 300 سرير."
COMMON = common_word_set(lines("guard_common_words.txt"))


def word_count(texts: list[str]) -> list[int]:
    return [len(t.split()) for t in texts]


# -- chunking ---------------------------------------------------------------------------------------

def test_long_article_is_split_into_chunks_that_cover_every_sentence_in_order() -> None:
    sentences = [f"الجملة رقم {i} من التقرير الطويل عن افتتاح المستشفى في الدمام." for i in range(40)]
    chunks = chunk_sentences(sentences, word_count, budget=45)
    assert len(chunks) > 1
    assert all(len(chunk.split()) <= 45 for chunk in chunks)
    assert " ".join(chunks) == " ".join(sentences)  # nothing dropped, nothing reordered


def test_sentence_longer_than_the_limit_is_cut_between_words_not_truncated() -> None:
    long_sentence = " ".join(f"كلمة{i}" for i in range(100))
    chunks = chunk_sentences(["جملة قصيرة أولى.", long_sentence, "جملة أخيرة."], word_count, budget=30)
    assert all(len(chunk.split()) <= 30 for chunk in chunks)
    assert " ".join(chunks).split() == ["جملة", "قصيرة", "أولى.", *long_sentence.split(), "جملة", "أخيرة."]


def test_short_article_stays_one_chunk_and_merge_drops_repeats() -> None:
    assert chunk_sentences(["جملة أولى.", "جملة ثانية."], word_count, budget=50) == ["جملة أولى. جملة ثانية."]
    assert merge_summaries(["افتتح المستشفى.", "  افتتح   المستشفى. ", "", "بسعة 300 سرير."]) == (
        "افتتح المستشفى. بسعة 300 سرير."
    )


# -- fact guard -------------------------------------------------------------------------------------

def test_guard_catches_a_number_the_article_does_not_contain() -> None:
    result = guard_summary("افتتحت وزارة الصحة مستشفى في الدمام بسعة 450 سرير.", SOURCE, FALLBACK,
                           common_words=COMMON)
    assert result.kind == "extractive"
    assert result.text == FALLBACK
    assert any("450" in note for note in result.notes)


def test_guard_catches_an_invented_place_and_keeps_the_faithful_sentence() -> None:
    summary = "افتتحت وزارة الصحة مستشفى في الدمام بسعة 300 سرير. وستفتتح الوزارة مستشفى في تبوك."
    result = guard_summary(summary, SOURCE, FALLBACK, common_words=COMMON)
    assert result.kind == "abstractive"
    assert result.text == "افتتحت وزارة الصحة مستشفى في الدمام بسعة 300 سرير."
    assert len(result.notes) == 1 and "تبوك" in result.notes[0]


def test_guard_accepts_spelling_digit_and_inflection_variants_of_source_facts() -> None:
    # ٣٠٠ = 300, 2300 = 2,300, الشرقيه ~ الشرقية, مستشفيات ~ مستشفى; "قال" is a common reporting word.
    summary = "قال الوزير إن مستشفى الدمام بسعة ٣٠٠ سرير وتكلفته 2300 مليون ريال في المنطقة الشرقيه."
    assert unsupported_terms(summary, SourceFacts.of(SOURCE), COMMON) == []
    result = guard_summary(summary, SOURCE, FALLBACK, common_words=COMMON)
    assert (result.kind, result.notes) == ("abstractive", [])


def test_guard_uses_the_fallback_with_a_note_when_the_model_says_nothing() -> None:
    result = guard_summary("", SOURCE, FALLBACK, common_words=COMMON)
    assert result.text == FALLBACK and result.kind == "extractive" and result.notes


# -- preprocessing ----------------------------------------------------------------------------------

def test_arabert_preprocessing_round_trip_keeps_the_words() -> None:
    prep = ArticlePreprocessor("")
    text = "قال الوزير: «المستشفى جاهز»، وبلغت التكلفة 2,300 مليون ريال (تقريبا)."
    prepared = prep.preprocess(text)
    assert prepared and "الوزير" in prepared
    assert prep.unpreprocess(prepared).split()[:2] == ["قال", "الوزير:"]


def test_empty_preprocessing_output_falls_back_to_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    prep = ArticlePreprocessor("")
    # What ArabertPreprocessor does offline with a Farasa model name: "" for every text.
    monkeypatch.setattr(prep._arabert, "preprocess", lambda text: "")
    monkeypatch.setattr(prep._arabert, "unpreprocess", lambda text: "")
    assert prep.preprocess("افتتح  المستشفى\nاليوم.") == "افتتح المستشفى اليوم."
    assert prep.unpreprocess("افتتح المستشفى") == "افتتح المستشفى"


# -- cache ------------------------------------------------------------------------------------------

def test_cache_round_trip_in_wal_mode_and_keys_depend_on_model_settings_and_text(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = SummaryCache(path)
    key = cache_key("models/a", {"num_beams": 3}, SOURCE)
    assert cache.get_many([key]) == {}
    cache.put_many({key: "ملخص المقال"})
    assert SummaryCache(path).get_many([key]) == {key: "ملخص المقال"}  # another worker sees it
    assert key != cache_key("models/b", {"num_beams": 3}, SOURCE)
    assert key != cache_key("models/a", {"num_beams": 4}, SOURCE)
    assert key != cache_key("models/a", {"num_beams": 3}, SOURCE + " ")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _writer(path: str, worker: int) -> None:
    cache = SummaryCache(path)
    for i in range(40):
        cache.put_many({f"w{worker}-{i}": f"ملخص {worker} {i}"})
        assert cache.get_many([f"w{worker}-{i}"])
    assert cache.disabled_reason is None


def test_cache_is_safe_under_several_worker_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite3")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(path, w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    keys = [f"w{w}-{i}" for w in range(4) for i in range(40)]
    assert len(SummaryCache(path).get_many(keys)) == 160


def test_unusable_cache_path_turns_the_cache_off_instead_of_failing(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    cache = SummaryCache(blocker / "cache.sqlite3")
    cache.put_many({"k": "v"})
    assert cache.get_many(["k"]) == {}
    assert cache.disabled_reason
