"""app/model/decoder_step.py gives the logits the model's own forward gives, bit for bit, in every numerics.

The reference is the product's model called as beam search called it before (`model(...)` with the
library's EncoderDecoderCache and the folded cross-attention), on the trained tiny model, whose output
depends on its input, with the summit articles and two short inputs (so most rows are padded), through
steps where beams move within their article and articles leave the batch. Tokens through whole beam
searches against the library's own are tests/test_model_identical_tokens.py's.
Each of these bugs, applied by hand once, made this file fail: the padding mask dropped from the
cross-attention; the cross-attention keys and values of a dropped article kept instead of the remaining
ones; the self-attention history not moved with the beams; the position of each step one too far.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from app.article_files import load_articles
from app.documents import prepare
from app.model import decoder_step
from app.model.generation import _encoded_alone, _register_folded_attention
from app.model.preprocess import ArticlePreprocessor

ROOT = Path(__file__).resolve().parents[1]
BEAMS = 3


@pytest.fixture(scope="module")
def inputs(trained_model_dir: Path) -> list[list[int]]:
    """Token ids, longest first: the summit articles whole, one later sentence, three later sentences."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(trained_model_dir)
    prep = ArticlePreprocessor("")
    articles = [[prep.preprocess(s.text) for s in prepare(a, 0).sentences]
                for a in load_articles([ROOT / "examples" / "summit"])]
    texts = [" ".join(sentences) for sentences in articles] + [articles[1][3], " ".join(articles[2][5:8])]
    ids = tokenizer(texts, truncation=True, max_length=512)["input_ids"]
    return sorted(ids, key=len, reverse=True)


def product_model(folder: Path, numerics: str):
    from app.model.loader import load_model

    model = load_model(str(folder), numerics)
    model.set_attn_implementation(_register_folded_attention())
    return model


def encoded(model, inputs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(map(len, inputs))
    mask = torch.zeros((len(inputs), width), dtype=torch.long)
    for row, ids in enumerate(inputs):
        mask[row, : len(ids)] = 1
    return _encoded_alone(model, inputs, width)["encoder_outputs"].last_hidden_state, mask


@pytest.mark.parametrize("numerics", ["fp32", "bf16", "int8"])
def test_each_step_gives_the_models_own_logits_bit_for_bit(trained_model_dir: Path, inputs, numerics: str) -> None:
    from transformers.cache_utils import DynamicCache, EncoderDecoderCache
    from transformers.modeling_outputs import BaseModelOutput

    model = product_model(trained_model_dir, numerics)
    assert decoder_step.supported(model)
    generator = torch.Generator().manual_seed(3)
    with torch.inference_mode():
        states, mask = encoded(model, inputs)
        assert not bool(mask.all())  # padded rows: the mask matters
        step = decoder_step.MBartDecodingStep(model, states, mask, BEAMS)
        cache = EncoderDecoderCache(DynamicCache(), DynamicCache())
        articles = len(inputs)
        tokens = torch.full((articles * BEAMS,), model.config.decoder_start_token_id)
        checked = 0
        for position in range(12):
            want = model(encoder_outputs=BaseModelOutput(last_hidden_state=states), attention_mask=mask,
                         decoder_input_ids=tokens[:, None], past_key_values=cache, use_cache=True).logits[:, -1]
            got = step.step(tokens[:, None])
            assert got.dtype == want.dtype and torch.equal(got, want), (numerics, position)
            checked += 1
            # Outputs differ by article, so a mix-up between articles cannot pass unseen.
            assert not torch.equal(got[0], got[-1])
            tokens = torch.randint(4, model.config.vocab_size, (articles * BEAMS,), generator=generator)
            moved = (torch.arange(articles)[:, None] * BEAMS
                     + torch.randint(0, BEAMS, (articles, BEAMS), generator=generator)).flatten()
            cache.self_attention_cache.reorder_cache(moved)
            step.reorder(moved)
            if position in (3, 7):  # an article leaves: the first, then the one in the middle
                keep = torch.tensor([a for a in range(articles) if a != (0 if position == 3 else articles // 2)])
                rows = (keep[:, None] * BEAMS + torch.arange(BEAMS)).flatten()
                cache.self_attention_cache.batch_select_indices(rows)
                cache.cross_attention_cache.batch_select_indices(keep)
                states, mask, tokens = states[keep], mask[keep], tokens[rows]
                step.keep(keep, rows)
                articles = len(keep)
        assert checked == 12 and articles == len(inputs) - 2


def test_only_the_librarys_mbart_decoder_qualifies(trained_model_dir: Path) -> None:
    from transformers import BartConfig, BartForConditionalGeneration

    model = product_model(trained_model_dir, "fp32")
    assert decoder_step.supported(model)
    bart = BartForConditionalGeneration(BartConfig(
        vocab_size=64, d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32)).eval()
    assert not decoder_step.supported(bart)  # post-layer-norm: another forward
    model.train()
    assert not decoder_step.supported(model)  # dropout would apply
