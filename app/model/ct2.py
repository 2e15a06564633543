"""Optional CTranslate2 backend for the forward step (see docs/BENCHMARKS.md "## Model stage").

In fp32 it gives the torch path's tokens (tested) except with a repetition penalty other than 1.0, which
CTranslate2 applies differently from transformers, with no option to change it (tested): transformers
counts the decoder start token (</s>, also end-of-sequence for BART/MBart models) among the previous
tokens and, in beam search, penalises log-probabilities; CTranslate2 penalises only generated tokens,
on logits before log-softmax. With the product's 3.0, 3 of 5 summit summaries differ.

Why no option reproduces it (ctranslate2 4.8.5): Translator.translate_batch takes no logits processor
(its `callback` runs in greedy search only, sees each chosen token and can only stop decoding); the
penalty is a built-in processor that BeamSearch::search (src/decoding.cc) runs on the raw logits before
LogSoftMax, over the sequence chosen so far, which never holds the decoder start token: for these models
the converter writes "decoder_start_token": null, so the first target_prefix token is the start token
(without it: "One input has no decoder start token"), and a second </s> in the prefix is decoder input
transformers never sees (0 of 5 summit summaries then match).

Used when the model folder holds a converted copy in ct2/ (`scripts/download_model.py --ct2`) and the
ctranslate2 package is installed; the tokenizer, preprocessing, chunking, guard and cache stay the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.model.generation import GenerationSettings

CT2_SUBDIR = "ct2"


def convert_to_ct2(folder: str | Path, quantization: str = "int8") -> Path:
    """Convert a transformers seq2seq folder into folder/ct2 (CTranslate2 format, int8 weights)."""
    from ctranslate2.converters import TransformersConverter

    target = Path(folder) / CT2_SUBDIR
    TransformersConverter(str(folder)).convert(str(target), quantization=quantization, force=True)
    return target


class Ct2Generator:
    """texts -> generated texts with a ctranslate2.Translator, using the model's own tokenizer."""

    def __init__(
        self, folder: Path, tokenizer: Any, config: Any, *, threads: int, compute_type: str = "int8"
    ) -> None:
        import ctranslate2

        self.tokenizer = tokenizer
        self.translator = ctranslate2.Translator(
            str(folder), device="cpu", compute_type=compute_type, intra_threads=threads
        )
        start_id = getattr(config, "decoder_start_token_id", None)
        start_id = tokenizer.eos_token_id if start_id is None else start_id
        self.start_token = tokenizer.convert_ids_to_tokens(start_id)

    def generate_ids(self, texts: list[str], settings: GenerationSettings, max_input_tokens: int) -> list[list[int]]:
        """Token ids of each generated text (the decoder start token first, no end-of-sequence)."""
        if not texts:
            return []
        encoded = self.tokenizer(
            [settings.task_prefix + t for t in texts], truncation=True, max_length=max_input_tokens
        )["input_ids"]
        sources = [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded]
        results = self.translator.translate_batch(
            sources,
            target_prefix=[[self.start_token]] * len(sources),
            beam_size=settings.num_beams,
            max_decoding_length=settings.max_new_tokens + 1,  # + the start token
            min_decoding_length=min(settings.min_new_tokens, settings.max_new_tokens) + 1,
            repetition_penalty=settings.repetition_penalty,
            no_repeat_ngram_size=settings.no_repeat_ngram_size,
            length_penalty=settings.length_penalty,
            max_batch_size=max(1, settings.batch_size),  # CTranslate2 sorts by length itself
        )
        return [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]

    def __call__(self, texts: list[str], settings: GenerationSettings, max_input_tokens: int) -> list[str]:
        ids = self.generate_ids(texts, settings, max_input_tokens)
        return [t.strip() for t in self.tokenizer.batch_decode(ids, skip_special_tokens=True)] if ids else []
