"""Mojaz's beam search gives the library's own tokens, on a model whose output depends on its input.

The product (loaded as app/model/loader.py loads it, fp32) encodes each input alone, drops finished
articles from the batch, keeps the cross-attention keys and values once per article, never reorders them
and lets all of an article's beams attend in one call (app/model/beam_search.py, generation.py), with the
decoder's per-step weights stored input-major (step_layout.py), each decoding step in decoder_step.py
(or, as for models other than MBart, through `model(...)`: both are tested). Its tokens must be the tokens
transformers' own beam search gives one article at a time. The trained tiny model (tests/conftest.py:
trained_model_dir) writes a different summary for every article and ends each early with end-of-sequence;
the batch mixes a one-sentence input with whole articles, so most rows are padded, many of them a lot.
Each of these bugs, applied by hand once, made the suite fail: (M1) no encoder padding mask in the folded
cross-attention (the beam 4 test through `model(...)`: padded positions then hold zeros, a smaller error
than the padded batch's values); (M2) every article given the first article's cross-attention keys and
values (both tests through `model(...)`); (M3) the finished-article bookkeeping not told which articles
remain (all five). The decoder step's own bugs are listed in tests/test_model_decoder_step.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from app.article_files import load_articles
from app.documents import prepare
from app.model import decoder_step
from app.model.generation import FOLDED_ATTENTION, GenerationSettings, generate_ids
from app.model.preprocess import ArticlePreprocessor

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def models(trained_model_dir: Path):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from app.model.loader import load_model
    from app.model.step_layout import InputMajorLinear, PackedLinear

    tokenizer = AutoTokenizer.from_pretrained(trained_model_dir)
    ours = load_model(str(trained_model_dir), "fp32")
    assert isinstance(ours.lm_head, InputMajorLinear | PackedLinear)  # the product's fp32 model
    plain = AutoModelForSeq2SeqLM.from_pretrained(trained_model_dir)
    return tokenizer, ours, plain


@pytest.fixture(scope="module")
def inputs(models) -> list[list[int]]:
    """Token ids of the summit articles (whole), one later sentence alone and three later sentences of
    another article: lengths from a few dozen tokens to a few hundred, seven different summaries."""
    tokenizer = models[0]
    prep = ArticlePreprocessor("")
    articles = [[prep.preprocess(s.text) for s in prepare(a, 0).sentences]
                for a in load_articles([ROOT / "examples" / "summit"])]
    texts = [" ".join(sentences) for sentences in articles]
    texts += [articles[1][3], " ".join(articles[2][5:8])]
    return tokenizer(texts, truncation=True, max_length=512)["input_ids"]


def library_one_at_a_time(model, tokenizer, inputs: list[list[int]], settings: GenerationSettings) -> list[list[int]]:
    with torch.inference_mode():
        return [model.generate(input_ids=torch.tensor([ids]), pad_token_id=tokenizer.pad_token_id,
                               **settings.generate_kwargs())[0].tolist() for ids in inputs]


def unpadded(ids: list[int], pad: int = 1) -> list[int]:
    while ids and ids[-1] == pad:
        ids = ids[:-1]
    return ids


def content(ids: list[int]) -> list[int]:
    return [t for t in ids if t > 2]  # without <s>, <pad>, </s>


@pytest.mark.parametrize(("beams", "length_penalty", "lean"), [(3, 1.0, True), (4, 2.0, True), (3, 1.0, False), (4, 2.0, False)])
def test_batched_beam_search_gives_the_librarys_tokens(
    models, inputs, beams: int, length_penalty: float, lean: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """lean: each step in app/model/decoder_step.py (the product's path for MBart models); else through
    model(...), the path of every other model."""
    tokenizer, ours, plain = models
    if not lean:
        monkeypatch.setattr(decoder_step, "supported", lambda model: False)
    settings = GenerationSettings(num_beams=beams, length_penalty=length_penalty, max_new_tokens=48,
                                  batch_size=len(inputs))
    lengths = sorted(map(len, inputs))
    assert lengths[0] * 4 < lengths[-1]  # the short rows of the batch are mostly padding

    rows: list[int] = []  # decoder rows per step: finished articles leave the batch
    # The embeddings' layer norm runs once per decoding step, through model(...) or app/model/decoder_step.py.
    hook = ours.get_decoder().layernorm_embedding.register_forward_pre_hook(
        lambda _, args: rows.append(args[0].shape[0]))
    forwards: list[int] = []  # calls of the decoder's own forward
    through_forward = ours.get_decoder().register_forward_pre_hook(lambda _, args: forwards.append(1))
    try:
        got = generate_ids(ours, inputs, tokenizer.pad_token_id, settings)
    finally:
        hook.remove()
        through_forward.remove()
    assert ours.config._attn_implementation == FOLDED_ATTENTION  # the product's path was taken
    assert len(forwards) == (0 if lean else len(rows))
    assert rows[0] == len(inputs) * beams and len(set(rows)) > 2 and rows == sorted(rows, reverse=True)
    want = library_one_at_a_time(plain, tokenizer, inputs, settings)
    assert plain.config._attn_implementation == "sdpa"

    # The claim is only worth something when the outputs differ by input and end on their own.
    assert len({tuple(content(ids)) for ids in want}) == len(inputs)
    ended = [len(content(ids)) < settings.max_new_tokens - 2 and ids[-1] == tokenizer.eos_token_id for ids in want]
    assert sum(ended) >= len(inputs) - 1

    assert [unpadded(ids) for ids in got] == want  # token for token, end-of-sequence included


def test_articles_split_over_batches_give_the_same_tokens(models, inputs) -> None:
    """batch_size smaller than the set: each batch is padded to its own longest row."""
    tokenizer, ours, plain = models
    settings = GenerationSettings(num_beams=3, max_new_tokens=48, batch_size=3)
    got = generate_ids(ours, inputs, tokenizer.pad_token_id, settings)
    want = library_one_at_a_time(plain, tokenizer, inputs, settings)
    assert [unpadded(ids) for ids in got] == want
