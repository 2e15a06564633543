"""The in-place logits processors (app/model/logits.py) and the direct int8 call (app/model/numerics.py)
give exactly what the library's own code gives."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from transformers.generation.logits_process import (
    ForcedEOSTokenLogitsProcessor,
    LogitsProcessorList,
    MinLengthLogitsProcessor,
    MinNewTokensLengthLogitsProcessor,
    NoRepeatNGramLogitsProcessor,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
)

from app.model.logits import InPlaceLogitsProcessors, in_place_processors, use_in_place_processors

EOS = 2


def library_processors(ngram: int, penalty: float, min_length: int, min_new: int, prompt: int,
                       max_length: int) -> LogitsProcessorList:
    """The list transformers builds for our settings, in its order."""
    return LogitsProcessorList([
        RepetitionPenaltyLogitsProcessor(penalty), NoRepeatNGramLogitsProcessor(ngram),
        MinLengthLogitsProcessor(min_length, EOS), MinNewTokensLengthLogitsProcessor(prompt, min_new, EOS),
        ForcedEOSTokenLogitsProcessor(max_length, EOS),
    ])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("length", [1, 2, 3, 9, 40])
def test_in_place_processors_match_the_librarys_on_random_inputs(seed: int, length: int) -> None:
    generator = torch.Generator().manual_seed(seed * 100 + length)
    rows, vocab = 6, 60
    # Few distinct tokens, so n-grams repeat and the penalty hits tokens more than once per row.
    ids = torch.randint(0, 12, (rows, length), generator=generator)
    scores = torch.randn(rows, vocab, generator=generator) * 4  # negative and positive scores
    ngram = 2 + seed % 3
    for min_length, min_new, max_length in [(0, 0, 500), (length + 1, 0, 500), (0, 5, length + 1), (length, 1, 500)]:
        library = library_processors(ngram, 1.0 + seed / 2, min_length, min_new, prompt=1, max_length=max_length)
        expected = library(ids, scores)
        if length == 40 and ngram == 2 and min_length == min_new == 0:  # 2-grams repeat: bans happened
            assert torch.isinf(expected).any()
        for copy in (True, False):
            given = scores.clone()
            got = in_place_processors(library, copy=copy)(ids, given)
            assert torch.equal(got, expected)
            # Copying keeps the passed tensor; otherwise it is edited and returned (no new tensor).
            assert torch.equal(given, scores) if copy else got is given


def test_token_ids_beyond_the_scores_take_the_librarys_own_path() -> None:
    ids = torch.tensor([[3, 70, 3, 70, 3], [5, 6, 7, 5, 6]])  # 70 >= vocab: an embedding-only id
    scores = torch.randn(2, 60)
    library = library_processors(3, 3.0, 0, 0, prompt=1, max_length=100)
    assert torch.equal(in_place_processors(library)(ids, scores), library(ids, scores))


def test_other_processors_keep_their_place_between_merged_runs() -> None:
    temperature = TemperatureLogitsWarper(0.5)
    library = LogitsProcessorList([RepetitionPenaltyLogitsProcessor(2.0), NoRepeatNGramLogitsProcessor(2),
                                   temperature, MinNewTokensLengthLogitsProcessor(0, 50, EOS)])
    merged = in_place_processors(library)
    assert [type(p) for p in merged] == [InPlaceLogitsProcessors, TemperatureLogitsWarper, InPlaceLogitsProcessors]
    assert [len(merged[0].processors), len(merged[2].processors)] == [2, 1]
    ids, scores = torch.tensor([[4, 9, 4, 9, 4]]), torch.randn(1, 30)
    got = merged(ids, scores)
    assert torch.equal(got, library(ids, scores))
    assert got[0, EOS] == -math.inf and got[0, 9] == -math.inf  # min new tokens; the repeated 2-gram "4 9"


def test_generate_uses_them_and_gives_the_librarys_tokens_and_logits(tiny_model_dir: Path) -> None:
    """Through model.generate on the tiny model: beam search (no copy) and greedy search with its raw
    logits returned (copy), against an unpatched copy of the model."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    ours, plain = (AutoModelForSeq2SeqLM.from_pretrained(tiny_model_dir) for _ in range(2))
    use_in_place_processors(ours)
    use_in_place_processors(ours)  # idempotent: one wrapper
    ids = tokenizer(["أعلنت الوزارة افتتاح مستشفى جديد في المدينة يضم مئة سرير"], return_tensors="pt")["input_ids"]
    settings = dict(max_new_tokens=20, min_new_tokens=6, no_repeat_ngram_size=3, repetition_penalty=3.0,
                    pad_token_id=tokenizer.pad_token_id)
    built = ours._get_logits_processor(generation_config=ours.generation_config.__class__(num_beams=3,
                                       no_repeat_ngram_size=3, repetition_penalty=3.0))
    assert any(isinstance(p, InPlaceLogitsProcessors) and not p.copy for p in built)
    with torch.inference_mode():
        for extra in ({"num_beams": 3}, {"num_beams": 1, "return_dict_in_generate": True, "output_logits": True}):
            got, want = (m.generate(input_ids=ids, **settings, **extra) for m in (ours, plain))
            if isinstance(got, torch.Tensor):
                assert torch.equal(got, want)
            else:
                assert torch.equal(got.sequences, want.sequences)
                assert all(torch.equal(a, b) for a, b in zip(got.logits, want.logits, strict=True))


def test_int8_linear_for_bf16_calls_the_same_op_as_the_quantized_module() -> None:
    from app.model.numerics import bf16_with_int8_decoding

    torch.manual_seed(0)
    model = torch.nn.Module()
    model.get_decoder = lambda: decoder  # type: ignore[method-assign]
    decoder = torch.nn.Sequential(torch.nn.Linear(32, 48), torch.nn.Linear(48, 16))
    model.decoder = decoder
    bf16_with_int8_decoding(model)
    x = torch.randn(5, 1, 32, dtype=torch.bfloat16)
    for layer in decoder:
        assert torch.equal(layer(x), layer.int8(x.float()).to(torch.bfloat16))
        x = layer(x)
    assert x.dtype == torch.bfloat16 and x.shape == (5, 1, 16)


def test_decoding_step_layers_compute_what_nn_linear_computes() -> None:
    """fp32 input-major or oneDNN-packed weights: the same products up to the order of additions; bf16
    packed: bit-identical. Both for any number of rows, 2-D or 3-D input, with and without a bias."""
    from app.model.step_layout import InputMajorLinear, PackedLinear, packed_available

    torch.manual_seed(0)
    for bias in (True, False):
        linear = torch.nn.Linear(96, 160, bias=bias)
        for shape in ((1, 96), (7, 96), (24, 1, 96)):
            x = torch.randn(*shape)
            torch.testing.assert_close(InputMajorLinear(linear)(x), linear(x), rtol=1e-6, atol=1e-6)
            if packed_available():
                torch.testing.assert_close(PackedLinear(linear)(x), linear(x), rtol=1e-6, atol=1e-6)
        if packed_available():
            half = torch.nn.Linear(96, 160, bias=bias).to(torch.bfloat16)
            for shape in ((1, 96), (15, 96), (24, 1, 96)):
                x = torch.randn(*shape, dtype=torch.bfloat16)
                assert torch.equal(PackedLinear(half)(x), half(x))
