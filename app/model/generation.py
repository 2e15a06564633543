"""The forward step: preprocessed texts in, generated texts out, batched by length under inference_mode."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from app.prompts import toml


@dataclass(frozen=True)
class GenerationSettings:
    num_beams: int = 3
    max_new_tokens: int = 128
    min_new_tokens: int = 8
    no_repeat_ngram_size: int = 3
    repetition_penalty: float = 3.0
    length_penalty: float = 1.0
    early_stopping: bool = True
    task_prefix: str = ""
    max_input_tokens: int = 512
    batch_size: int = 8
    max_unsupported_words: int = 0

    @classmethod
    def from_prompts(cls, name: str = "generation.toml", **overrides: Any) -> GenerationSettings:
        """Settings from prompts/<name> ([generation], [input] and [guard] tables), then overrides."""
        data = toml(name)
        values: dict[str, Any] = {}
        for table in ("generation", "input", "guard"):
            values.update(data.get(table, {}))
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, **overrides})

    def generate_kwargs(self) -> dict[str, Any]:
        return {
            "num_beams": self.num_beams,
            "max_new_tokens": self.max_new_tokens,
            "min_new_tokens": min(self.min_new_tokens, self.max_new_tokens),
            "no_repeat_ngram_size": self.no_repeat_ngram_size,
            "repetition_penalty": self.repetition_penalty,
            "length_penalty": self.length_penalty,
            "early_stopping": self.early_stopping,
        }

    def fingerprint(self) -> dict[str, Any]:
        """What changes the model's output: part of every cache key."""
        return asdict(self)


def generate_texts(model: Any, tokenizer: Any, texts: list[str], settings: GenerationSettings) -> list[str]:
    """One generated text per input, in input order (see generate_ids)."""
    if not texts:
        return []
    limit = input_limit(model.config, tokenizer, settings)
    encoded = tokenizer(
        [settings.task_prefix + text for text in texts], add_special_tokens=True, truncation=True,
        max_length=limit,
    )["input_ids"]
    generated = generate_ids(model, encoded, tokenizer.pad_token_id, settings)
    return [text.strip() for text in tokenizer.batch_decode(generated, skip_special_tokens=True)]


def generate_ids(
    model: Any, inputs: list[list[int]], pad_token_id: int, settings: GenerationSettings, **generate_kwargs: Any
) -> list[list[int]]:
    """Generated token ids per input, in input order.

    Inputs are sorted by length and generated `batch_size` at a time. Each input is encoded alone, without
    padding (a padded batch spends the encoder's work on its padding), then the batch's encoder outputs
    are padded for the decoder. Beam search runs in app/model/beam_search.py (the library's bookkeeping,
    finished articles dropped, cross-attention once per article); the logits processors edit the scores
    in place (app/model/logits.py). `generate_kwargs` go to `model.generate` (extra logits processors).
    """
    import torch

    from app.model.logits import use_in_place_processors

    use_in_place_processors(model)
    order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]), reverse=True)
    outputs: list[list[int]] = [[] for _ in inputs]
    step = max(1, settings.batch_size)
    with torch.inference_mode():
        for start in range(0, len(order), step):
            batch = order[start : start + step]
            width = max(len(inputs[i]) for i in batch)
            ids = torch.full((len(batch), width), pad_token_id, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, index in enumerate(batch):  # right padding, as the tokenizers of these models do
                ids[row, : len(inputs[index])] = torch.tensor(inputs[index])
                mask[row, : len(inputs[index])] = 1
            generated = model.generate(
                input_ids=ids, attention_mask=mask, pad_token_id=pad_token_id, **settings.generate_kwargs(),
                **_encoded_alone(model, [inputs[i] for i in batch], width), **_beam_search(model, settings),
                **generate_kwargs,
            )
            for row, index in enumerate(batch):
                outputs[index] = generated[row].tolist()
    return outputs


def _encoded_alone(model: Any, inputs: list[list[int]], width: int) -> dict[str, Any]:
    """encoder_outputs for generate: each input through the encoder alone, then padded to `width` (the
    padded positions are masked out of cross-attention, so their values never count)."""
    import torch
    from transformers.modeling_outputs import BaseModelOutput

    if not getattr(model.config, "is_encoder_decoder", False) or len(inputs) < 2:
        return {}
    encoder = model.get_encoder()
    states = [encoder(input_ids=torch.tensor([ids]), return_dict=True).last_hidden_state[0] for ids in inputs]
    hidden = states[0].new_zeros((len(inputs), width, states[0].shape[-1]))
    for row, state in enumerate(states):
        hidden[row, : state.shape[0]] = state
    return {"encoder_outputs": BaseModelOutput(last_hidden_state=hidden)}


FOLDED_ATTENTION = "mojaz_folded_sdpa"


@cache
def _register_folded_attention() -> str:
    """Register FOLDED_ATTENTION with transformers: sdpa, except that cross-attention keys/values kept once
    per article (app/model/beam_search.py) are attended by all of that article's beams in one call."""
    import torch
    from transformers import AttentionInterface
    from transformers.integrations.sdpa_attention import sdpa_attention_forward
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    def folded_sdpa(module: Any, query: Any, key: Any, value: Any, attention_mask: Any, **kwargs: Any) -> Any:
        rows, beams = query.shape[0], query.shape[0] // max(1, key.shape[0])
        if beams <= 1 or key.shape[0] * beams != rows:
            return sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)
        articles, heads, length, dim = key.shape[0], query.shape[1], query.shape[2], query.shape[3]
        # (articles*beams, heads, q, dim) -> (articles, heads, beams*q, dim): the beams become query positions
        folded = query.view(articles, beams, heads, length, dim).transpose(1, 2).reshape(
            articles, heads, beams * length, dim)
        if isinstance(attention_mask, torch.Tensor):  # the same encoder mask for every beam of an article
            if attention_mask.shape[0] == rows:  # one per beam (else one per article, or one for all)
                attention_mask = attention_mask[::beams]
            if attention_mask.shape[2] != 1:
                attention_mask = attention_mask.repeat(1, 1, beams, 1)
        kwargs["is_causal"] = False  # cross-attention
        output, weights = sdpa_attention_forward(module, folded, key, value, attention_mask, **kwargs)
        # (articles, beams*q, heads, dim) -> (articles*beams, q, heads, dim)
        return output.reshape(articles * beams, length, heads, dim), weights

    AttentionInterface.register(FOLDED_ATTENTION, folded_sdpa)
    AttentionMaskInterface.register(FOLDED_ATTENTION, sdpa_mask)
    return FOLDED_ATTENTION


def _beam_search(model: Any, settings: GenerationSettings) -> dict[str, Any]:
    """generate's keyword arguments for app/model/beam_search.py (encoder-decoder models, beams > 1)."""
    if settings.num_beams <= 1 or not getattr(model.config, "is_encoder_decoder", False):
        return {}
    from app.model.beam_search import article_beam_search

    if getattr(model.config, "_attn_implementation", None) == "sdpa":
        # The folded function equals sdpa whenever keys and queries have as many rows, so the switch is
        # permanent and safe for any other caller of this model (greedy, or several threads at once).
        model.set_attn_implementation(_register_folded_attention())
    return {"custom_generate": article_beam_search}


def input_limit(config: Any, tokenizer: Any, settings: GenerationSettings) -> int:
    """Most input tokens (special tokens included) one chunk may have, given the model's config."""
    limits = [settings.max_input_tokens]
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        limits.append(positions)
    model_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(model_max, int) and 0 < model_max < 1_000_000:
        limits.append(model_max)
    return min(limits)
