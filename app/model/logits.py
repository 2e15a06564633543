"""The library's logits processors for our generation settings, applied in one pass with fewer full copies.

transformers builds, per decoding step, repetition penalty -> no repeated n-grams -> minimum length ->
minimum new tokens -> forced EOS, and each returns a fresh copy of the (rows x 50,002) scores (the two
minimum-length ones clone even when inactive). At beam 3 on five articles that was about 10% of decoding
time (torch profiler, docs/BENCHMARKS.md "## Model stage"). Here the same processors, in the same order
and with the same arithmetic, edit one copy in place, so the scores are identical (tested against the
library's processors on random inputs and through whole beam searches). A processor of any other type,
or a case the in-place form does not cover, is run as the library runs it.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from transformers.generation.logits_process import (
    ForcedEOSTokenLogitsProcessor,
    LogitsProcessor,
    LogitsProcessorList,
    MinLengthLogitsProcessor,
    MinNewTokensLengthLogitsProcessor,
    NoRepeatNGramLogitsProcessor,
    RepetitionPenaltyLogitsProcessor,
)

IN_PLACE_TYPES = (
    RepetitionPenaltyLogitsProcessor, NoRepeatNGramLogitsProcessor, MinLengthLogitsProcessor,
    MinNewTokensLengthLogitsProcessor, ForcedEOSTokenLogitsProcessor,
)


class InPlaceLogitsProcessors(LogitsProcessor):
    """Runs `processors` in order on the scores, in place where the type allows: on a copy, unless
    `copy` is False (the caller never reuses the tensor it passes)."""

    def __init__(self, processors: list[LogitsProcessor], copy: bool = True) -> None:
        self.processors, self.copy = processors, copy

    def __call__(self, input_ids: torch.LongTensor, scores: torch.Tensor) -> torch.Tensor:
        if self.copy:
            scores = scores.clone()
        for processor in self.processors:
            if not _in_place(processor, input_ids, scores):
                scores = processor(input_ids, scores)
        return scores


def in_place_processors(processors: LogitsProcessorList, copy: bool = True) -> LogitsProcessorList:
    """`processors` with each run of consecutive known types merged into one InPlaceLogitsProcessors."""
    merged = LogitsProcessorList()
    for processor in processors:
        if type(processor) not in IN_PLACE_TYPES:
            merged.append(processor)
        elif merged and isinstance(merged[-1], InPlaceLogitsProcessors):
            merged[-1].processors.append(processor)
        else:
            merged.append(InPlaceLogitsProcessors([processor], copy=copy))
    return merged


def use_in_place_processors(model: Any) -> None:
    """Make `model.generate` build its processors with in_place_processors (once per model object)."""
    if getattr(model, "_mojaz_in_place_processors", False):
        return
    build = model._get_logits_processor

    def build_in_place(generation_config: Any, *args: Any, **kwargs: Any) -> LogitsProcessorList:
        # Beam search hands the processors a fresh log_softmax of the logits and keeps no other reference
        # to it (transformers 5 _beam_search; output_scores stores a clone), so no copy is needed there.
        # Greedy and sampling pass the logits they may also return (output_logits): copy.
        beams = (getattr(generation_config, "num_beams", 1) or 1) > 1
        return in_place_processors(build(generation_config, *args, **kwargs), copy=not beams)

    model._get_logits_processor = build_in_place
    model._mojaz_in_place_processors = True


def _in_place(processor: LogitsProcessor, input_ids: torch.Tensor, scores: torch.Tensor) -> bool:
    """Apply `processor` to `scores` in place, as its own __call__ computes it; False: not handled."""
    if scores.dim() != 2 or input_ids.dim() != 2:
        return False
    vocab_size, length = scores.shape[-1], input_ids.shape[-1]
    if isinstance(processor, RepetitionPenaltyLogitsProcessor):
        if getattr(processor, "prompt_ignore_length", None) is not None or length == 0:
            return False
        if int(input_ids.max()) >= vocab_size:  # the library's spare-column path
            return False
        penalty = processor.penalty
        score = scores.gather(1, input_ids)
        scores.scatter_(1, input_ids, torch.where(score < 0, score * penalty, score / penalty))
        return True
    if isinstance(processor, NoRepeatNGramLogitsProcessor):
        size = processor.ngram_size
        if length < size:
            return True
        prefix = input_ids[:, length + 1 - size :]
        windows = input_ids.unfold(dimension=1, size=size, step=1)
        matches = (windows[..., :-1] == prefix.unsqueeze(1)).all(dim=-1)
        # Only the banned entries are written: a (rows x vocabulary) mask cost 0.7 ms a step, this 0.05 ms.
        row, window = matches.nonzero(as_tuple=True)
        token = windows[row, window, -1]
        inside = token < vocab_size
        scores.index_put_((row[inside], token[inside]), scores.new_tensor(-math.inf))
        return True
    if isinstance(processor, MinLengthLogitsProcessor | MinNewTokensLengthLogitsProcessor):
        if isinstance(processor, MinLengthLogitsProcessor):
            short = length < processor.min_length
        else:
            short = length - processor.prompt_length_to_skip < processor.min_new_tokens
        if short:
            eos = processor.eos_token_id.reshape(-1).to(scores.device)
            scores.index_fill_(1, eos[(eos >= 0) & (eos < vocab_size)], -math.inf)
        return True
    if isinstance(processor, ForcedEOSTokenLogitsProcessor):
        if length == processor.max_length - 1:
            scores.fill_(-math.inf)
            scores[:, processor.eos_token_id] = 0
        return True
    return False
