"""The beam search's top-k (app/model/top_k.py) returns torch.topk's values and indices, ties included, and
the continuations built from it are the library's (_get_top_k_continuations)."""

from __future__ import annotations

import pytest
import torch

from app.model.top_k import chunk_size, top_k


def beam_scores(rows: int, width: int, seed: int) -> torch.Tensor:
    """Accumulated log-probabilities as a beam step has them: log_softmax of peaked logits plus a score."""
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(rows, width, generator=generator) * 4
    return torch.log_softmax(logits, dim=-1) - torch.rand(rows, 1, generator=generator) * 10


@pytest.mark.parametrize(("rows", "width", "k"), [(5, 150_006, 6), (1, 150_006, 6), (3, 200_008, 8), (2, 3_000, 4)])
def test_top_k_is_torchs_on_beam_scores(rows: int, width: int, k: int, monkeypatch) -> None:
    torch_top_k = torch.topk
    for seed in range(5):
        scores = beam_scores(rows, width, seed)
        expected = torch_top_k(scores, k)
        monkeypatch.setattr(torch, "topk", None)  # the chunked search answers, not the fallback
        values, indices = top_k(scores, k)
        monkeypatch.setattr(torch, "topk", torch_top_k)
        assert torch.equal(values, expected.values)
        assert torch.equal(indices, expected.indices)


def test_top_k_finds_the_largest_values_wherever_they_sit() -> None:
    # The k largest values all in one chunk, and the next ones spread over other chunks.
    scores = torch.full((2, 150_006), -50.0)
    scores[0, 1000:1006] = torch.tensor([5.0, 4.0, 3.0, 2.0, 1.0, 0.5])
    scores[0, 90_000] = 0.25
    scores[1, [7, 149_999, 60_000, 60_001, 2, 88_888, 120_000]] = torch.tensor([9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0])
    values, indices = top_k(scores, 6)
    assert indices[0].tolist() == [1000, 1001, 1002, 1003, 1004, 1005]
    assert indices[1].tolist() == [7, 149_999, 60_000, 60_001, 2, 88_888]
    assert torch.equal(values, torch.topk(scores, 6).values)


@pytest.mark.parametrize("case", ["tie inside", "tie at the edge", "minus infinity", "nan"])
def test_top_k_leaves_ties_to_torch(case: str) -> None:
    scores = beam_scores(3, 150_006, 7)
    top = torch.topk(scores, 7).indices
    if case == "tie inside":
        scores[0, top[0, 3]] = scores[0, top[0, 1]]
    elif case == "tie at the edge":
        scores[1, top[1, 6]] = scores[1, top[1, 5]]
    elif case == "minus infinity":
        scores[2] = -torch.inf
        scores[2, :3] = 0.0
    else:
        scores[0, 10] = torch.nan
    expected = torch.topk(scores, 6)
    values, indices = top_k(scores, 6)
    assert torch.equal(indices, expected.indices)
    assert torch.allclose(values, expected.values, equal_nan=True)


def test_a_tie_for_the_last_place_in_another_chunk_is_left_to_torch() -> None:
    # Five clear leaders, then two equal values far apart for the sixth place: torch takes index 3 here;
    # a search that looked at only six chunks would see one of the two and not know of the tie.
    scores = torch.full((1, 150_006), -50.0)
    scores[0, [40_000, 50_000, 60_000, 70_000, 80_000]] = torch.tensor([5.0, 4.0, 3.0, 2.0, 1.0])
    scores[0, [7_919, 3]] = 0.5
    assert torch.equal(top_k(scores, 6)[1], torch.topk(scores, 6).indices)


def test_widths_without_a_useful_divisor_use_torch() -> None:
    assert chunk_size(100_003, 6) is None  # a prime
    scores = beam_scores(2, 100_003, 3)
    assert torch.equal(top_k(scores, 6)[1], torch.topk(scores, 6).indices)


def test_continuations_are_the_librarys() -> None:
    from transformers import GenerationMixin

    from app.model.beam_search import _ArticleBeams

    batch, beams, vocab, cur_len, prompt_len, keep = 4, 3, 50_002, 9, 1, 6
    generator = torch.Generator().manual_seed(11)
    running = torch.randint(0, vocab, (batch, beams, 20), generator=generator)
    indices = torch.randint(0, batch * beams, (batch, beams, 19), generator=generator, dtype=torch.int64).int()
    scores = beam_scores(batch, beams * vocab, 5)

    class Model:  # what the continuation step reads of the model
        _gather_beams = staticmethod(GenerationMixin._gather_beams)

    state = _ArticleBeams.__new__(_ArticleBeams)
    state.model, state.beams, state.to_keep, state.prompt_len = Model(), beams, keep, prompt_len
    state.torch_ties = True
    state.articles, state.running, state.running_indices = torch.arange(batch), running, indices
    ours = state.top_k_continuations(scores, cur_len)
    library = GenerationMixin._get_top_k_continuations(
        Model(), accumulated_log_probs=scores, running_sequences=running, running_beam_indices=indices,
        cur_len=cur_len, decoder_prompt_len=prompt_len, do_sample=False, beams_to_keep=keep, num_beams=beams,
        batch_size=batch)
    for mine, theirs in zip(ours, library, strict=True):
        assert mine.dtype == theirs.dtype
        assert torch.equal(mine, theirs)


def test_bf16_ties_in_any_order_still_give_the_largest_values() -> None:
    # bf16 logits: many equal values near the top of a row.
    generator = torch.Generator().manual_seed(4)
    logits = (torch.randn(15, 50_002, generator=generator) * 2).to(torch.bfloat16)
    scores = torch.log_softmax(logits, dim=-1, dtype=torch.float32).view(5, -1)
    expected = torch.topk(scores, 6)
    values, indices = top_k(scores, 6, torch_ties=False)
    assert torch.equal(values, expected.values)
    assert torch.equal(scores.gather(1, indices), values)
    assert all(len(set(row)) == 6 for row in indices.tolist())
    top7 = torch.topk(scores, 7).values
    assert bool((top7[:, :-1] == top7[:, 1:]).any())  # there are ties to break here
