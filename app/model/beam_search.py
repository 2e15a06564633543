"""transformers' beam search, with each article dropped from the batch as soon as its result is final.

`model.generate(..., custom_generate=article_beam_search)` (the library's hook for a decoding method) does
all of generate's preparation (generation config, logits processors, stopping criteria, encoder outputs,
beam expansion) as usual and calls this loop instead of `_beam_search`. Each step runs the library's own
beam bookkeeping (`_get_running_beams_for_next_iteration`, `_update_finished_beams`,
`_check_early_stop_heuristic`, transformers 5), so the arithmetic is the library's. What differs:

- An article is dropped once nothing can change its result: all its beams finished with early_stopping
  True (the library then adds -1e9 to every new candidate of that article), or its early-stop heuristic
  says no running beam can beat a finished one (the library adds -1e9 too). The library keeps computing
  such an article's beams until the longest article of the batch ends.
- The top candidates of each article (`_get_top_k_continuations`) come from app/model/top_k.py: torch.topk's
  values and indices without sorting 150,006 scores a step (with fp32 logits, ties as torch orders them).
- Cross-attention keys and values are computed and kept once per article, not once per beam (the beams of
  an article attend to the same encoder output), and are never reordered; all of an article's beams
  attend to them in one call (app/model/generation.py: the folded attention). Only the self-attention
  cache follows the beams.
- For MBart models (AraBART and this project's tiny models) each step's decoder runs in
  app/model/decoder_step.py: the model's own modules and attention calls, without the masks, cache
  objects and output classes `model(...)` builds every step (the same logits, bit for bit, tested).

Anything this loop does not cover (sampling, several returned sequences, dict outputs, a decoder-only
model) is handed to the library's own `_beam_search`. Tokens: identical to the library's (tests).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from app.model.top_k import top_k


def article_beam_search(
    model: Any, input_ids: torch.LongTensor, logits_processor: Any, stopping_criteria: Any,
    generation_config: Any, synced_gpus: bool = False, **model_kwargs: Any,
) -> torch.LongTensor:
    config = generation_config
    if (config.do_sample or config.return_dict_in_generate or config.num_return_sequences != 1 or synced_gpus
            or not model.config.is_encoder_decoder or model_kwargs.get("streamer") is not None):
        return type(model)._beam_search(model, input_ids, logits_processor, stopping_criteria, generation_config,
                                        synced_gpus=synced_gpus, **model_kwargs)
    return _ArticleBeams(model, input_ids, logits_processor, stopping_criteria, config, model_kwargs).run()


class _ArticleBeams:
    def __init__(self, model: Any, input_ids: torch.Tensor, processors: Any, stopping: Any, config: Any,
                 model_kwargs: dict[str, Any]) -> None:
        from app.model.generation import FOLDED_ATTENTION

        self.model, self.processors, self.stopping = model, processors, stopping
        self.config = config
        self.beams = config.num_beams
        self.early_stopping, self.length_penalty, self.max_length = (
            config.early_stopping, config.length_penalty, config.max_length)
        rows, self.prompt_len = input_ids.shape[:2]
        self.count = rows // self.beams
        pad, eos = config._pad_token_tensor, config._eos_token_tensor
        self.fill = pad or eos[0] if eos is not None else -1  # the library's expression, precedence included
        self.to_keep = max(2, 1 + (eos.shape[0] if eos is not None else 0)) * self.beams
        self.top_beam_mask = torch.arange(self.to_keep) < self.beams

        # One row of encoder output per article when the folded attention reads it; else one per beam.
        encoder = model_kwargs["encoder_outputs"]
        self.per_article = getattr(model.config, "_attn_implementation", None) == FOLDED_ATTENTION
        if self.per_article:  # the encoder mask too: the library builds it with the encoder output's rows
            encoder["last_hidden_state"] = encoder["last_hidden_state"][:: self.beams]
            model_kwargs["attention_mask"] = model_kwargs["attention_mask"][:: self.beams]
        self.decoder = self._decoder(model, model_kwargs)

        batch, beams = self.count, self.beams
        self.running = torch.full((batch, beams, self.max_length), self.fill, dtype=torch.int64)
        self.running[:, :, : self.prompt_len] = input_ids.view(batch, beams, -1)
        self.sequences = self.running.clone()
        self.running_scores = torch.zeros((batch, beams), dtype=torch.float)
        self.running_scores[:, 1:] = -1e9
        self.scores = torch.full((batch, beams), -1e9, dtype=torch.float)
        self.finished = torch.zeros((batch, beams), dtype=torch.bool)
        self.improvable = torch.ones((batch, 1), dtype=torch.bool)
        self.running_indices = torch.full((batch, beams, self.max_length - self.prompt_len), -1, dtype=torch.int32)
        self.indices = self.running_indices.clone()
        self.torch_ties = True
        self.articles = torch.arange(batch)  # which input article each active row of state belongs to
        self.results: dict[int, torch.Tensor] = {}

    def run(self) -> torch.LongTensor:
        model, cur_len = self.model, self.prompt_len
        while True:
            flat = self.running[:, :, :cur_len].reshape(-1, cur_len)
            logits = self.decoder.step(flat)
            # Reduced-precision logits tie often; their tokens are not claimed to be the library's (top_k.py).
            self.torch_ties = logits.dtype == torch.float32
            # One pass from the last position's logits to fp32 log-probabilities (the library copies to fp32
            # first; log_softmax's dtype converts the same way).
            log_probs = nn.functional.log_softmax(logits, dim=-1, dtype=torch.float32)
            log_probs = self.processors(flat, log_probs)
            stop = self.step(log_probs, cur_len)
            cur_len += 1
            self.improvable = model._check_early_stop_heuristic(
                is_early_stop_heuristic_unsatisfied=self.improvable, running_beam_scores=self.running_scores,
                beam_scores=self.scores, is_sent_finished=self.finished, cur_len=cur_len,
                max_length=self.max_length, decoder_prompt_len=self.prompt_len,
                early_stopping=self.early_stopping, length_penalty=self.length_penalty)
            going = model._beam_search_has_unfinished_sequences(
                self.improvable, self.finished, stop, self.early_stopping)
            if not going:
                break
            final = self.finished.all(dim=1) & (self.early_stopping is True) | ~self.improvable[:, 0]
            if final.any():
                self.drop(final)
                if not len(self.articles):
                    break
        self.drop(torch.ones(len(self.articles), dtype=torch.bool))
        return self.output()

    def step(self, log_probs: torch.Tensor, cur_len: int) -> torch.Tensor:
        """One step of the library's beam bookkeeping on the active articles; returns which candidates hit a
        stopping criterion (the library's next_token_hits_stopping_criteria)."""
        model, batch, beams = self.model, len(self.articles), self.beams
        log_probs = log_probs.view(batch, beams, -1).add_(self.running_scores[:, :, None]).view(batch, -1)
        top_scores, top_sequences, top_indices = self.top_k_continuations(log_probs, cur_len)
        stop = self.stopping(top_sequences[:, :, : cur_len + 1].reshape(batch * self.to_keep, -1), None)
        stop = stop.view(batch, self.to_keep)
        self.running, self.running_scores, self.running_indices = model._get_running_beams_for_next_iteration(
            topk_log_probs=top_scores, topk_running_sequences=top_sequences, topk_running_beam_indices=top_indices,
            next_token_hits_stopping_criteria=stop, num_beams=beams)
        self.sequences, self.scores, self.indices, self.finished = model._update_finished_beams(
            sequences=self.sequences, topk_running_sequences=top_sequences, beam_scores=self.scores,
            topk_log_probs=top_scores, beam_indices=self.indices, topk_running_beam_indices=top_indices,
            is_early_stop_heuristic_unsatisfied=self.improvable, is_sent_finished=self.finished,
            next_token_hits_stopping_criteria=stop, top_num_beam_mask=self.top_beam_mask, num_beams=beams,
            cur_len=cur_len, decoder_prompt_len=self.prompt_len, length_penalty=self.length_penalty,
            early_stopping=self.early_stopping)
        # Beams move only within their article: the self-attention cache follows them; the cross-attention
        # cache holds one article's encoder keys/values for all its beams and stays.
        self.decoder.reorder(self.running_indices[..., cur_len - self.prompt_len].reshape(-1))
        return stop

    def top_k_continuations(self, log_probs: torch.Tensor, cur_len: int) -> tuple[torch.Tensor, ...]:
        """The library's _get_top_k_continuations (greedy selection), with its torch.topk over each article's
        beams x vocabulary scores done by app/model/top_k.py (the same values and indices, 4x faster)."""
        batch, beams, gather = len(self.articles), self.beams, self.model._gather_beams
        top_scores, top = top_k(log_probs, self.to_keep, torch_ties=self.torch_ties)
        vocab = log_probs.shape[-1] // beams
        beam = top // vocab
        top_indices = gather(self.running_indices, beam)
        top_sequences = gather(self.running, beam)
        top_sequences[:, :, cur_len] = top % vocab
        top_indices[:, :, cur_len - self.prompt_len] = beam + torch.arange(batch).view(-1, 1) * beams
        return top_scores, top_sequences, top_indices

    def drop(self, final: torch.Tensor) -> None:
        """Store the best sequence of each final article; keep only the others in every per-row state."""
        for row in final.nonzero().flatten().tolist():
            length = self.prompt_len + int((self.indices[row, 0] != -1).sum())
            self.results[int(self.articles[row])] = self.sequences[row, 0, :length]
        keep = (~final).nonzero().flatten()
        if len(keep) == len(final):
            return
        rows = (keep[:, None] * self.beams + torch.arange(self.beams)).flatten()
        for name in ("running", "sequences", "running_scores", "scores", "finished", "improvable",
                     "running_indices", "indices", "articles"):
            setattr(self, name, getattr(self, name)[keep])
        self.decoder.keep(keep, rows)
        for processor in self.processors:
            if hasattr(processor, "keep_articles"):  # a processor with per-article state (the benchmark's)
                processor.keep_articles(keep)

    def _decoder(self, model: Any, kwargs: dict[str, Any]) -> Any:
        """app/model/decoder_step.py's step for an MBart model whose decoder starts from one token, each
        article's encoder output once (the folded attention), no cache or decoder mask of the caller's;
        else the step through `model(...)`. Both: step(ids so far) -> logits, reorder(rows), keep(articles,
        rows)."""
        from app.model import decoder_step

        cache = kwargs.get("past_key_values")
        if (not self.per_article or self.prompt_len != 1 or kwargs.get("decoder_attention_mask") is not None
                or (cache is not None and cache.get_seq_length() > 0) or not decoder_step.supported(model)):
            return _ModelForward(model, self.config, kwargs, self.per_article)
        return decoder_step.MBartDecodingStep(
            model, kwargs["encoder_outputs"]["last_hidden_state"], kwargs.get("attention_mask"), self.beams)

    def output(self) -> torch.LongTensor:
        width = max(len(ids) for ids in self.results.values())
        out = torch.full((self.count, width), int(self.fill), dtype=torch.int64)
        for article, ids in self.results.items():
            out[article, : len(ids)] = ids
        return out


class _ModelForward:
    """The decoding step through `model(...)`, with the library's cache and keyword arguments (any model)."""

    def __init__(self, model: Any, config: Any, kwargs: dict[str, Any], per_article: bool) -> None:
        from transformers.cache_utils import DynamicCache, EncoderDecoderCache

        self.model, self.config, self.kwargs, self.per_article, self.first = model, config, kwargs, per_article, True
        self.cache = kwargs.get("past_key_values")
        if self.cache is None or not hasattr(self.cache, "self_attention_cache"):
            self.cache = kwargs["past_key_values"] = EncoderDecoderCache(DynamicCache(), DynamicCache())

    def step(self, ids: torch.Tensor) -> torch.Tensor:
        model = self.model
        if self.first:
            self.first = False
            outputs = model._prefill(ids, self.config, self.kwargs)
        else:
            outputs = model(**model.prepare_inputs_for_generation(ids, next_sequence_length=1, **self.kwargs),
                            return_dict=True)
        self.kwargs = model._update_model_kwargs_for_generation(outputs, self.kwargs, is_encoder_decoder=True)
        return outputs.logits[:, -1, :]

    def reorder(self, rows: torch.Tensor) -> None:
        self.cache.self_attention_cache.reorder_cache(rows)

    def keep(self, articles: torch.Tensor, rows: torch.Tensor) -> None:
        self.cache.self_attention_cache.batch_select_indices(rows)
        self.cache.cross_attention_cache.batch_select_indices(articles if self.per_article else rows)
        encoder = self.kwargs["encoder_outputs"]
        encoder["last_hidden_state"] = encoder["last_hidden_state"][articles if self.per_article else rows]
        self.kwargs["attention_mask"] = self.kwargs["attention_mask"][articles if self.per_article else rows]
        if self.kwargs.get("decoder_attention_mask") is not None:
            self.kwargs["decoder_attention_mask"] = self.kwargs["decoder_attention_mask"][rows]
