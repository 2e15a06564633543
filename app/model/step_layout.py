"""The decoder's per-step Linear layers in a weight layout suited to the few rows a decoding step has.

nn.Linear keeps its weight (out, in) and multiplies by its transpose. For a decoding step's handful of rows
(articles x beams, 1 to 24) the CPU BLAS kernel for that layout is 2-3x slower in fp32 than the same
product with the weight stored (in, out) contiguous: measured on this project's CPUs with torch 2.13
(MKL), 15 rows: the 768 x 50,002 output projection 114 ms -> 50 ms, a 768 x 3072 FFN layer 4.0 ms -> 1.4
ms. In bf16, oneDNN reorders the weight on every call; a weight reordered once (PackedLinear) saves that.
On hundreds of rows (the encoder) the layouts run alike, so only the decoder's per-step layers change.
The arithmetic stays the model's: fp32 may differ in the order of additions inside one dot product, as a
batch and one row do; bf16 is bit-identical. Tokens: identical to the library's in fp32 (tests).
"""

from __future__ import annotations

from typing import Any

import torch


class InputMajorLinear(torch.nn.Module):
    """y = x @ weight_t + bias, with weight_t = the Linear's weight transposed, stored contiguous."""

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.weight_t = torch.nn.Parameter(linear.weight.detach().t().contiguous(), requires_grad=False)
        self.bias = None if linear.bias is None else torch.nn.Parameter(linear.bias.detach(), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features)
        y = torch.mm(rows, self.weight_t) if self.bias is None else torch.addmm(self.bias, rows, self.weight_t)
        return y.view(*x.shape[:-1], self.out_features)


def input_major_step_linears(model: Any) -> Any:
    """Replace the decoder's per-step Linear layers with InputMajorLinear and the output projection with
    PackedLinear (InputMajorLinear without oneDNN), in place. The output projection shares its weight with
    the token embeddings; the embeddings keep theirs, so its copy is extra memory (50,002 x 768: 154 MB)."""
    from app.model.numerics import _per_step_linears

    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    for parent, attribute, linear in _per_step_linears(model):
        packed = linear is head and packed_available()
        setattr(parent, attribute, PackedLinear(linear) if packed else InputMajorLinear(linear))
    return model


class PackedLinear(torch.nn.Module):
    """A Linear whose weight oneDNN has reordered once into its own blocked layout.

    bf16: F.linear hands oneDNN the plain (out, in) weight, which it reorders on every call; for a decoding
    step's few rows that reorder costs more than the product (measured here, AMX CPU, 15 rows: the output
    projection 22 ms -> 12 ms, a 768 x 768 layer 0.23 -> 0.14 ms); the result is bit-identical (tested).
    fp32: used for the output projection only, where it beats the input-major layout (15 rows: 37 ms ->
    27 ms; on the smaller layers it does not). The reorder and the call are the ops torch's own compiler
    uses for frozen CPU models."""

    ROWS_HINT = 16  # the blocking oneDNN plans for; any number of rows is computed correctly

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.packed = torch.ops.mkldnn._reorder_linear_weight(linear.weight.detach(), self.ROWS_HINT)
        self.bias = None if linear.bias is None else torch.nn.Parameter(linear.bias.detach(), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(x, self.packed, self.bias, "none", [], "")


def packed_available() -> bool:
    """oneDNN with the reorder op (torch's x86 builds); else the layers stay as they are."""
    return torch.backends.mkldnn.is_available() and hasattr(torch.ops.mkldnn, "_reorder_linear_weight")


def packed_bf16_step_linears(model: Any) -> Any:
    """Replace the bf16 decoder's per-step Linear layers and the output projection with PackedLinear,
    in place (the output projection's packed copy is extra memory beside the embeddings: 77 MB)."""
    from app.model.numerics import _per_step_linears

    if not packed_available():
        return model
    for parent, attribute, linear in _per_step_linears(model):
        if linear.weight.dtype == torch.bfloat16:
            setattr(parent, attribute, PackedLinear(linear))
    return model
