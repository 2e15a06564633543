"""Number formats for the model's weights and arithmetic, chosen from what this CPU does natively.

  bf16  weights and activations in bfloat16, the decoder's per-step weights packed once for oneDNN
        (app/model/step_layout.py). With AMX the fastest format here; with AVX512-BF16 only it runs
        natively but slower than int8; elsewhere bf16 is emulated and slower than fp32.
  int8  dynamic quantization of every Linear layer (int8 weights, activations quantized per call):
        the fast choice on CPUs without AMX (fbgemm, AVX2/AVX512-VNNI).
  bf16-int8  bf16, except the decoder's per-step Linear layers (and the output projection), which get int8
        dynamic quantization. Decoding runs those on a few rows (articles x beams) per step, where
        reading the weights is the cost and int8 halves it; the encoder and the cross-attention key/value
        projections run on hundreds of tokens at once, where AMX bf16 arithmetic is fastest.
  fp32  the model as published, its decoder's per-step weights stored input-major (app/model/step_layout.py:
        the same fp32 arithmetic, a 2-3x faster CPU kernel for a decoding step's few rows).
  auto  bf16 on CPUs with AMX, int8 elsewhere (measured in docs/BENCHMARKS.md "## Model stage": with AMX,
        bf16 with oneDNN-packed decoding weights was as fast as bf16-int8 and int8 and keeps the model
        out of int8; with AVX512-BF16 but oneDNN's AMX off, int8 took 2.5 s, bf16-int8 4.6 s, bf16 5.6 s;
        the AVX512-BF16 AMD EPYC of 2026-12-02 had int8 ahead too).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from typing import Any, Literal

log = logging.getLogger(__name__)

Numerics = Literal["bf16-int8", "bf16", "int8", "fp32"]
NUMERICS: tuple[str, ...] = ("auto", "bf16-int8", "bf16", "int8", "fp32")
# Flags of torch.cpu.get_capabilities() (cpuinfo) that mean bf16 matrix arithmetic in hardware.
NATIVE_BF16_FLAGS = ("amx_bf16", "avx512_bf16")


def cpu_capabilities() -> Mapping[str, Any]:
    import torch

    try:
        return torch.cpu.get_capabilities()
    except (AttributeError, RuntimeError):  # an older torch, or cpuinfo could not read this CPU
        return {}


def native_bf16(capabilities: Mapping[str, Any] | None = None) -> bool:
    caps = cpu_capabilities() if capabilities is None else capabilities
    return any(bool(caps.get(flag)) for flag in NATIVE_BF16_FLAGS)


def resolve_numerics(requested: str, capabilities: Mapping[str, Any] | None = None) -> Numerics:
    """The concrete format for a setting; "auto" looks at the CPU."""
    choice = requested.strip().lower()
    if choice not in NUMERICS:
        raise ValueError(f"numerics must be one of {', '.join(NUMERICS)}, not '{requested}'")
    if choice == "auto":
        caps = cpu_capabilities() if capabilities is None else capabilities
        return "bf16" if caps.get("amx_bf16") else "int8"
    return choice  # type: ignore[return-value]


def quantize_int8(model: Any) -> Any:
    """Dynamic int8 quantization of every Linear layer (weights int8, activations quantized per call).

    In place, so the fp32 weights are freed instead of living on beside their int8 copies."""
    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():  # torch marks torch.ao.quantization deprecated; it still works
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)


def _per_step_linears(model: Any) -> list[tuple[Any, str, Any]]:
    """(parent, attribute, Linear) for the Linear layers a decoding step runs: the decoder's, except the
    cross-attention key/value projections (run once, over the encoder output), and the output projection."""
    import torch

    decoder = model.get_decoder() if hasattr(model, "get_decoder") else None
    if decoder is None:
        raise ValueError(f"{type(model).__name__} has no decoder to quantize")
    found = []
    for name, parent in decoder.named_modules():
        for attribute, child in parent.named_children():
            cross_kv = name.split(".")[-1] == "encoder_attn" and attribute in {"k_proj", "v_proj"}
            if isinstance(child, torch.nn.Linear) and not cross_kv:
                found.append((parent, attribute, child))
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    if isinstance(head, torch.nn.Linear):
        found.append((model, "lm_head", head))
    return found


def bf16_with_int8_decoding(model: Any) -> Any:
    """The bf16-int8 format (see the module docstring), in place."""
    import torch
    from torch.ao.nn.quantized.dynamic import Linear as DynamicInt8Linear
    from torch.ao.quantization import default_dynamic_qconfig

    class Int8LinearForBf16(torch.nn.Module):
        """A dynamically quantized Linear between bf16 layers (its kernels take and give fp32)."""

        def __init__(self, linear: torch.nn.Linear) -> None:
            super().__init__()
            linear.qconfig = default_dynamic_qconfig
            with warnings.catch_warnings():  # torch.ao.quantization is marked deprecated; it still works
                warnings.simplefilter("ignore")
                self.int8 = DynamicInt8Linear.from_float(linear)
            # The op self.int8's forward calls (qint8, version >= 4: reduce_range), called directly: this
            # runs ~50 times per decoding step, where the module call's own overhead is measurable. Taken
            # once: the product converts a model after its weights are loaded, never reloads them in place.
            self.reduce_range = self.int8.version is not None and self.int8.version >= 4
            self.packed = self.int8._packed_params._packed_params

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.reduce_range:
                y = torch.ops.quantized.linear_dynamic(x.float(), self.packed, reduce_range=True)
            else:
                y = torch.ops.quantized.linear_dynamic(x.float(), self.packed)
            return y.to(x.dtype)

    chosen = _per_step_linears(model)
    for parent, attribute, linear in chosen:
        setattr(parent, attribute, Int8LinearForBf16(linear.float()))
    return model.to(torch.bfloat16)  # the rest; packed int8 weights are not parameters, so they stay


def apply_numerics(model: Any, numerics: Numerics) -> Any:
    """The fp32 model converted to `numerics` (in place where torch allows)."""
    import torch

    if numerics == "bf16-int8":
        return bf16_with_int8_decoding(model)
    if numerics == "bf16":
        from app.model.step_layout import packed_bf16_step_linears

        return packed_bf16_step_linears(model.to(torch.bfloat16))
    if numerics == "int8":
        return quantize_int8(model)
    from app.model.step_layout import input_major_step_linears

    return input_major_step_linears(model)  # fp32 only: in bf16 (oneDNN) the library's layout is as fast


def ct2_compute_type(numerics: Numerics, supported: set[str] | None = None) -> str:
    """CTranslate2's compute_type for the same choice, among those the installed build supports on CPU.

    bf16 asks for int8 weights with bf16 arithmetic, then bf16, then int8: the ctranslate2 4.x wheels for
    x86 CPUs support neither bf16 type (measured: get_supported_compute_types("cpu") lacks them)."""
    if supported is None:
        import ctranslate2

        supported = set(ctranslate2.get_supported_compute_types("cpu"))
    bf16 = ["int8_bfloat16", "bfloat16", "int8"]
    wanted = {"bf16-int8": bf16, "bf16": bf16, "int8": ["int8"], "fp32": ["float32"]}[numerics]
    return next((kind for kind in wanted if kind in supported), "float32")
