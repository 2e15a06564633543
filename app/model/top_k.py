"""The k largest scores of each row, as torch.topk returns them, without sorting a whole row.

A beam search step takes the top 2 x beams of each article's beams x vocabulary scores (150,006 values at
beam 3 on AraBART). torch.topk on the CPU partially sorts every row: 1.3-1.5 ms a step for five articles,
as long as the rest of a small step's bookkeeping. Here each row is cut into equal chunks; the k + 1
chunks with the largest maxima hold the row's k + 1 largest values (any value above the smallest of those
maxima lies in one of them, and the maxima themselves are k + 1 values at least that large), so only
those chunks are searched. When the k + 1 values found are all different, the top k and their order are
unique, so torch.topk can only return the same indices; when two are equal (a tie, -inf, NaN), which of
the tied indices torch returns is its own affair, so torch.topk is asked, unless the caller accepts any
order among equal values (`torch_ties=False`). bf16 logits have 8 bits of mantissa, so ties near the top
are common there (33 of 44 steps of the benchmark's bf16 run), and no tokens are claimed to be the
library's in bf16 anyway; in fp32 they are rare (the benchmark's forced end-of-sequence steps) and the
library's tokens are the claim.
"""

from __future__ import annotations

from functools import cache

import torch


def top_k(scores: torch.Tensor, k: int, torch_ties: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """(values, indices) of the k largest entries of each row of a 2-d tensor, largest first: exactly
    torch.topk(scores, k)'s; with torch_ties False, the same values, equal ones possibly in another order."""
    rows, width = scores.shape
    size = chunk_size(width, k)
    if size is None:
        return torch.topk(scores, k)
    chunks = scores.contiguous().view(rows, width // size, size)
    best = chunks.amax(dim=-1).topk(k + 1).indices
    candidates = chunks.gather(1, best[..., None].expand(-1, -1, size)).view(rows, -1)
    values, where = candidates.topk(k + 1)
    if torch_ties and not bool((values[:, :-1] > values[:, 1:]).all()):
        return torch.topk(scores, k)
    indices = best.gather(1, where // size) * size + where % size
    return values[:, :k], indices[:, :k]


@cache
def chunk_size(width: int, k: int) -> int | None:
    """The divisor of `width` that makes the search cheapest (chunk maxima to rank + values to search),
    or None when no divisor makes it worth it (width prime, or too few chunks)."""
    best, cost = None, width // 4
    divisor = 1
    while divisor * divisor <= width:
        if width % divisor == 0:
            for size in (divisor, width // divisor):
                chunks = width // size
                if chunks > k and chunks + (k + 1) * size < cost:
                    best, cost = size, chunks + (k + 1) * size
        divisor += 1
    return best
