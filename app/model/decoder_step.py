"""One decoding step of an MBart decoder, computed with the model's own modules and none of the per-step
machinery around them.

A beam search step asks the decoder for one token's logits per beam. Through `model(...)` that step also
builds masks, cache objects and output classes and dispatches through the attention interface: on this
project's CPU, with a model of AraBART's shape and 15 rows, the step here is 4-5 ms shorter than a 28-42 ms
bf16 step and 11-12 ms shorter than a 55-67 ms fp32 one (docs/BENCHMARKS.md, `bench_model.py --step`). Here
the step calls the same modules in the same order (MBartDecoder.forward and MBartDecoderLayer.forward,
transformers 5, pre-layer-norm), with the same attention calls: `scaled_dot_product_attention` on the
self-attention cache as the library grows it (`torch.cat` each step, `index_select` when beams move),
and on the cross-attention keys and values of each article, computed once, that all of the article's
beams attend to in one call (as app/model/generation.py's folded attention does). So the logits are
`model(...)`'s, bit for bit (tested in fp32, bf16 and int8; tokens against the library's own beam search
in tests/test_model_identical_tokens.py).

Only MBart-architecture models (AraBART and the project's tiny models) qualify (`supported`); any other
model, or a decoder prompt of more than one token, goes through `model(...)` as before.
"""

from __future__ import annotations

from typing import Any

import torch
from torch.nn import functional


def supported(model: Any) -> bool:
    """An MBart seq2seq model whose decoder layers are the library's (so this step is its forward)."""
    from transformers.models.mbart.modeling_mbart import MBartDecoder, MBartDecoderLayer

    decoder = model.get_decoder() if hasattr(model, "get_decoder") else None
    return (type(decoder) is MBartDecoder and all(type(layer) is MBartDecoderLayer for layer in decoder.layers)
            and hasattr(model, "lm_head") and hasattr(model, "final_logits_bias")
            and not decoder.training)


class MBartDecodingStep:
    """The decoder's state for one batch of articles x beams: `step(tokens)` gives the next logits.

    encoder_states: (articles, source, d_model), one row per article; encoder_mask: (articles, source),
    1 for tokens, 0 for padding, or None; rows are article-major (article 0's beams first).
    """

    def __init__(self, model: Any, encoder_states: torch.Tensor, encoder_mask: torch.Tensor | None,
                 beams: int) -> None:
        decoder = model.get_decoder()
        self.decoder, self.layers, self.beams = decoder, list(decoder.layers), beams
        self.head, self.bias = model.lm_head, model.final_logits_bias
        attention = self.layers[0].self_attn
        self.heads, self.head_dim, self.scaling = attention.num_heads, attention.head_dim, attention.scaling
        self.length = 0
        self.keys: list[torch.Tensor | None] = [None] * len(self.layers)
        self.values: list[torch.Tensor | None] = [None] * len(self.layers)
        # Contiguous, as the library's cache stores them (its update concatenates): the attention kernel reads
        # the transposed view 40 % slower.
        self.cross_keys = [self._heads(layer.encoder_attn.k_proj(encoder_states)).contiguous()
                           for layer in self.layers]
        self.cross_values = [self._heads(layer.encoder_attn.v_proj(encoder_states)).contiguous()
                             for layer in self.layers]
        # The padding as an additive mask, 0 where a token is and -inf where padding is: what the attention
        # kernel makes of the library's boolean mask on every call, made once. None when nothing is padded.
        self.mask = None
        if encoder_mask is not None and not bool(encoder_mask.all()):
            self.mask = torch.zeros(encoder_mask.shape, dtype=encoder_states.dtype).masked_fill_(
                encoder_mask == 0, float("-inf"))[:, None, None, :]

    def _heads(self, states: torch.Tensor) -> torch.Tensor:
        """(rows, positions, d_model) -> (rows, heads, positions, head_dim), a view as the library takes it."""
        return states.view(*states.shape[:-1], -1, self.head_dim).transpose(1, 2)

    def step(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits (rows, vocabulary) for the next position, given each row's tokens so far (rows, length):
        the last one is new, the others are in the cache."""
        decoder, rows, ids = self.decoder, ids.shape[0], ids[:, -1:]
        position = torch.tensor([self.length])
        hidden = decoder.embed_tokens(ids) + decoder.embed_positions(ids, self.length, position_ids=position)
        hidden = decoder.layernorm_embedding(hidden)
        for index, layer in enumerate(self.layers):  # each block adds to its input (the residual), pre-norm
            hidden = hidden + self._self_attention(layer, index, layer.self_attn_layer_norm(hidden))
            hidden = hidden + self._cross_attention(layer, index, layer.encoder_attn_layer_norm(hidden), rows)
            hidden = hidden + layer.fc2(layer.activation_fn(layer.fc1(layer.final_layer_norm(hidden))))
        hidden = decoder.layer_norm(hidden)
        self.length += 1
        return (self.head(hidden) + self.bias)[:, -1, :]

    def _self_attention(self, layer: Any, index: int, hidden: torch.Tensor) -> torch.Tensor:
        attention = layer.self_attn
        query = self._heads(attention.q_proj(hidden))
        key, value = self._heads(attention.k_proj(hidden)), self._heads(attention.v_proj(hidden))
        if self.keys[index] is not None:  # the library's DynamicLayer.update
            key = torch.cat([self.keys[index], key], dim=-2)
            value = torch.cat([self.values[index], value], dim=-2)
        self.keys[index], self.values[index] = key, value
        output = functional.scaled_dot_product_attention(
            query, key, value, attn_mask=None, dropout_p=0.0, scale=self.scaling, is_causal=False)
        return attention.out_proj(output.transpose(1, 2).reshape(hidden.shape[0], 1, -1))

    def _cross_attention(self, layer: Any, index: int, hidden: torch.Tensor, rows: int) -> torch.Tensor:
        attention = layer.encoder_attn
        query = self._heads(attention.q_proj(hidden))
        articles, beams, heads, dim = rows // self.beams, self.beams, self.heads, self.head_dim
        # (articles*beams, heads, 1, dim) -> (articles, heads, beams, dim): an article's beams as its queries
        folded = query.view(articles, beams, heads, 1, dim).transpose(1, 2).reshape(articles, heads, beams, dim)
        output = functional.scaled_dot_product_attention(
            folded, self.cross_keys[index], self.cross_values[index], attn_mask=self.mask, dropout_p=0.0,
            scale=self.scaling, is_causal=False)
        return attention.out_proj(output.transpose(1, 2).reshape(rows, 1, -1))  # article-major rows again

    def reorder(self, rows: torch.Tensor) -> None:
        """Beams moved: row i's self-attention history is now that of row rows[i] (the library's
        reorder_cache)."""
        for index in range(len(self.layers)):
            if self.keys[index] is not None:
                self.keys[index] = self.keys[index].index_select(0, rows)
                self.values[index] = self.values[index].index_select(0, rows)

    def keep(self, articles: torch.Tensor, rows: torch.Tensor) -> None:
        """Only these articles (and their beams' rows) go on."""
        self.reorder(rows)
        self.cross_keys = [keys[articles] for keys in self.cross_keys]
        self.cross_values = [values[articles] for values in self.cross_values]
        if self.mask is not None:
            self.mask = self.mask[articles]
