"""Seq2SeqSummarizer: app.summarizer.ArticleSummarizer on a local transformers seq2seq model.

preprocess (arabert, sentence chunks under the input limit) -> forward (cache, then batched generation)
-> postprocess (unpreprocess, merge chunk summaries, fact guard).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from app.model.cache import SummaryCache, cache_key
from app.model.chunking import chunk_sentences, merge_summaries
from app.model.generation import GenerationSettings, generate_texts, input_limit
from app.model.guard import guard_summary
from app.model.preprocess import ArticlePreprocessor
from app.summarizer import SummaryRequest, SummaryResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Plan:
    request: SummaryRequest
    key: str
    chunks: list[str]


class Seq2SeqSummarizer:
    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        model_name: str,
        model_id: str | None = None,
        generation: GenerationSettings | None = None,
        cache: SummaryCache | None = None,
        preprocessor: ArticlePreprocessor | None = None,
        common_words: frozenset[str] = frozenset(),
        numerics: str = "fp32",
        config: Any = None,
        generator: Any = None,
    ) -> None:
        """`model` is a transformers seq2seq model, or None when `generator` (e.g. ct2.Ct2Generator,
        called as generator(texts, settings, max_input_tokens)) does the forward step instead."""
        self.model = model
        self.config = config if config is not None else model.config
        self.generator = generator
        self.tokenizer = tokenizer
        self.model_name = model_name
        self.model_id = model_id or model_name
        self.generation = generation or GenerationSettings()
        self.cache = cache
        self.preprocessor = preprocessor or ArticlePreprocessor("")
        self.common_words = common_words
        self.numerics = numerics  # bf16 | int8 | fp32: changes the outputs, so part of the cache key
        self.generate_calls = 0  # batches sent to the model (observability and tests)

    # -- preprocess -------------------------------------------------------------------------------
    def chunk_budget(self) -> int:
        """Tokens of article text one chunk may hold: the input limit less special tokens and prefix."""
        overhead = len(self.tokenizer(self.generation.task_prefix, add_special_tokens=True)["input_ids"])
        return max(8, input_limit(self.config, self.tokenizer, self.generation) - overhead)

    def _count(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False)["input_ids"]]

    def chunks(self, request: SummaryRequest) -> list[str]:
        sentences = request.sentences or [request.text]
        prepared = [self.preprocessor.preprocess(s) for s in sentences]
        return chunk_sentences(prepared, self._count, self.chunk_budget())

    def _key(self, request: SummaryRequest) -> str:
        settings = {**self.generation.fingerprint(), "numerics": self.numerics}
        return cache_key(self.model_id, settings, request.text + "\x1f" + "\x1e".join(request.sentences))

    # -- forward ----------------------------------------------------------------------------------
    def generate(self, texts: list[str]) -> list[str]:
        self.generate_calls += 1
        if self.generator is not None:
            limit = input_limit(self.config, self.tokenizer, self.generation)
            return self.generator(texts, self.generation, limit)
        return generate_texts(self.model, self.tokenizer, texts, self.generation)

    def _raw_summaries(self, plans: list[_Plan]) -> dict[str, str]:
        pieces = [(plan.key, chunk) for plan in plans for chunk in plan.chunks]
        generated = self.generate([chunk for _, chunk in pieces]) if pieces else []
        by_key: dict[str, list[str]] = {plan.key: [] for plan in plans}
        for (key, _), text in zip(pieces, generated, strict=True):
            by_key[key].append(self.preprocessor.unpreprocess(text) if text else "")
        return {key: merge_summaries(parts) for key, parts in by_key.items()}

    # -- the protocol -----------------------------------------------------------------------------
    def summarize(self, requests: list[SummaryRequest]) -> list[SummaryResult]:
        keys = [self._key(request) for request in requests]
        cached = self.cache.get_many(keys) if self.cache else {}
        todo: dict[str, _Plan] = {}
        for request, key in zip(requests, keys, strict=True):
            if key not in cached and key not in todo:
                todo[key] = _Plan(request, key, self.chunks(request))

        fresh: dict[str, str] = {}
        failure: str | None = None
        if todo:
            try:
                fresh = self._raw_summaries(list(todo.values()))
            except Exception as error:  # the briefing must survive a model failure, extractively
                log.exception("summary generation failed")
                failure = f"model failed ({type(error).__name__}: {error}); key sentences used instead"
            if fresh and self.cache:
                self.cache.put_many(fresh)

        results: list[SummaryResult] = []
        for request, key in zip(requests, keys, strict=True):
            if failure is not None and key not in cached:
                results.append(
                    SummaryResult(request.article_id, request.fallback, "extractive", [failure], False)
                )
                continue
            raw = cached.get(key, fresh.get(key, ""))
            guarded = guard_summary(
                raw, request.text, request.fallback,
                common_words=self.common_words, max_unsupported_words=self.generation.max_unsupported_words,
            )
            results.append(
                SummaryResult(request.article_id, guarded.text, guarded.kind, guarded.notes, key in cached)
            )
        return results
