"""Model-stage speed: the model-card way against Mojaz's way, on the default model's architecture.

No download: the weights are random, in an MBart built from AraBART's published config (d_model 768,
6+6 layers, 12 heads, FFN 3072, vocabulary 50,002: the architecture of the default model,
abdalrahmanshahrour/arabartsummarization). Random weights do not change the arithmetic, and every run
generates exactly --new-tokens tokens per article (min_new_tokens = max_new_tokens), so both ways do
the same amount of decoding.

  card   one article at a time, fp32, beam 3, torch defaults (what the model card's code does)
  mojaz  the product default: all articles in one length-sorted batch, torch.inference_mode, numerics
         "auto" (MOJAZ_NUMERICS: bf16-int8 on CPUs with native bf16, else int8), threads from
         app/model/threads.py, beam 3 and the rest from prompts/generation.toml
  --all adds the alternatives: mojaz-int8, mojaz-bf16, mojaz-bf16-int8 (fixed numerics), ct2-int8
  (the optional CTranslate2 backend, same batch and threads) and mojaz-greedy (beam 1: NOT equal
  settings). --ways picks any of WAYS, e.g. ct2-int8_bfloat16 where a CTranslate2 build supports it.

Each way runs in its own process so its peak RSS is its own (the fp32 model built before conversion
sets the floor); --repeat N runs every way N times, interleaved, and shows the median.

    .venv/bin/python scripts/bench_model.py --all --repeat 3     # ~4 minutes on 2 quiet cores
    .venv/bin/python scripts/bench_model.py --new-tokens 32 --articles 3    # quick look
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# AraBART (moussaKam/AraBART) and its summarization fine-tunes publish this config.
ARABART = dict(
    vocab_size=50002, d_model=768, encoder_layers=6, decoder_layers=6, encoder_attention_heads=12,
    decoder_attention_heads=12, encoder_ffn_dim=3072, decoder_ffn_dim=3072, max_position_embeddings=1024,
    pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=2,
    scale_embedding=False, activation_function="gelu",
    # In AraBART's config.json too; transformers 5 ignores them, CTranslate2's converter reads them.
    normalize_before=True, add_final_layer_norm=True, normalize_embedding=True,
)
# Input lengths of the five articles, in tokens: mixed, as a real article set is (one chunk each).
LENGTHS = [512, 300, 470, 380, 512]


def build_model():
    import torch
    from transformers import MBartConfig, MBartForConditionalGeneration

    torch.manual_seed(0)
    model = MBartForConditionalGeneration(MBartConfig(**ARABART))
    model.eval()
    return model


def article_ids(count: int) -> list[list[int]]:
    import torch

    generator = torch.Generator().manual_seed(1)
    lengths = (LENGTHS * ((count // len(LENGTHS)) + 1))[:count]
    return [
        [0, *torch.randint(5, ARABART["vocab_size"], (n - 2,), generator=generator).tolist(), 2]
        for n in lengths
    ]


def run_card(new_tokens: int, count: int) -> dict:
    import torch

    model = build_model()
    inputs = article_ids(count)
    kwargs = dict(num_beams=3, repetition_penalty=3.0, length_penalty=1.0, no_repeat_ngram_size=3,
                  max_new_tokens=new_tokens, min_new_tokens=new_tokens, pad_token_id=1)
    started = time.perf_counter()
    out_lengths = []
    for ids in inputs:
        with torch.no_grad():  # what the pipeline did
            generated = model.generate(input_ids=torch.tensor([ids]), **kwargs)
        out_lengths.append(generated.shape[1])
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "threads": torch.get_num_threads(), "output_lengths": out_lengths}


def run_mojaz(new_tokens: int, count: int, numerics: str | None = None, beams: int | None = None) -> dict:
    """The product's forward step (app/model/generation.py) with the product's numerics and threads."""
    import torch

    from app.config import get_settings
    from app.model.generation import GenerationSettings, generate_ids
    from app.model.loader import numerics_for
    from app.model.numerics import apply_numerics
    from app.model.threads import model_threads

    settings = get_settings()
    torch.set_num_threads(model_threads(settings.model_threads))
    chosen = numerics or numerics_for(settings)
    model = apply_numerics(build_model(), chosen)
    generation = replace(GenerationSettings.from_prompts(), max_new_tokens=new_tokens,
                         min_new_tokens=new_tokens, batch_size=max(count, 1))
    if beams is not None:
        generation = replace(generation, num_beams=beams)
    inputs = article_ids(count)
    started = time.perf_counter()
    generated = generate_ids(model, inputs, 1, generation)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "threads": torch.get_num_threads(), "numerics": chosen,
            "num_beams": generation.num_beams, "output_lengths": [len(g) for g in generated]}


def run_ct2(new_tokens: int, count: int, compute_type: str | None = None) -> dict:
    import tempfile

    import ctranslate2
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    from app.config import get_settings
    from app.model.ct2 import convert_to_ct2
    from app.model.loader import numerics_for
    from app.model.numerics import ct2_compute_type
    from app.model.threads import model_threads

    settings = get_settings()
    compute_type = compute_type or ct2_compute_type(numerics_for(settings))
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    tokens = specials + [f"t{i}" for i in range(len(specials), ARABART["vocab_size"])]
    with tempfile.TemporaryDirectory() as tmp:
        hf_dir = Path(tmp) / "hf"
        build_model().save_pretrained(hf_dir)
        # The converter copies the vocabulary from a tokenizer; ids are what matter here, not text.
        word_level = Tokenizer(models.WordLevel({t: i for i, t in enumerate(tokens)}, unk_token="<unk>"))
        PreTrainedTokenizerFast(tokenizer_object=word_level, bos_token="<s>", eos_token="</s>",
                                pad_token="<pad>", unk_token="<unk>", mask_token="<mask>").save_pretrained(hf_dir)
        ct2_dir = convert_to_ct2(hf_dir)  # what scripts/download_model.py --ct2 does
        translator = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type=compute_type,
                                            intra_threads=model_threads(settings.model_threads))
        inputs = [[tokens[i] for i in ids] for ids in article_ids(count)]
        started = time.perf_counter()
        results = translator.translate_batch(
            inputs, target_prefix=[["</s>"]] * count, beam_size=3, max_decoding_length=new_tokens,
            min_decoding_length=new_tokens,
            repetition_penalty=3.0, no_repeat_ngram_size=3, max_batch_size=count,
        )
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "compute_type": compute_type,
            "output_lengths": [len(r.hypotheses[0]) for r in results]}


# way -> (function, keyword arguments, what it is). "mojaz" is the product default: numerics "auto"
# (MOJAZ_NUMERICS) resolved for this CPU, beam 3 from prompts/generation.toml.
WAYS: dict[str, tuple] = {
    "card": (run_card, {}, "one article at a time, fp32, beam 3"),
    "mojaz": (run_mojaz, {}, "product default: batch, inference_mode, numerics auto, beam 3"),
    "mojaz-int8": (run_mojaz, {"numerics": "int8"}, "batch, int8 dynamic quantization, beam 3"),
    "mojaz-bf16": (run_mojaz, {"numerics": "bf16"}, "batch, bf16 weights and activations, beam 3"),
    "mojaz-bf16-int8": (run_mojaz, {"numerics": "bf16-int8"},
                        "batch, bf16 with int8 per-step decoder linears, beam 3"),
    "mojaz-fp32": (run_mojaz, {"numerics": "fp32"}, "batch, fp32, beam 3"),
    "ct2": (run_ct2, {}, "CTranslate2, compute type from numerics auto, beam 3"),
    "ct2-int8": (run_ct2, {"compute_type": "int8"}, "CTranslate2 int8, beam 3"),
    "ct2-int8_bfloat16": (run_ct2, {"compute_type": "int8_bfloat16"}, "CTranslate2 int8 weights, bf16, beam 3"),
    "ct2-bfloat16": (run_ct2, {"compute_type": "bfloat16"}, "CTranslate2 bf16, beam 3"),
    "mojaz-greedy": (run_mojaz, {"beams": 1}, "product default with beam 1: NOT equal settings"),
}
ALTERNATIVES = ["mojaz-int8", "mojaz-bf16", "mojaz-bf16-int8", "ct2-int8", "mojaz-greedy"]


def child(way: str, new_tokens: int, count: int) -> None:
    function, kwargs, _ = WAYS[way]
    result = function(new_tokens, count, **kwargs)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(way: str, new_tokens: int, count: int) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", way, "--new-tokens", str(new_tokens), "--articles", str(count)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Model-stage benchmark (random AraBART-size weights).")
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--ways", default="card,mojaz",
                        help=f"comma-separated, from: {', '.join(WAYS)}")
    parser.add_argument("--all", action="store_true", help="also time " + ", ".join(ALTERNATIVES))
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds (each way once per round, in its own process); the median is shown")
    parser.add_argument("--child", choices=sorted(WAYS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.new_tokens, args.articles)
        return 0

    ways = [w for w in args.ways.split(",") if w] + (ALTERNATIVES if args.all else [])
    ways = list(dict.fromkeys(["card", *ways]))
    unknown = [w for w in ways if w not in WAYS]
    if unknown:
        parser.error(f"unknown way(s): {', '.join(unknown)}")
    runs: dict[str, list[dict]] = {way: [] for way in ways}
    for round_ in range(max(1, args.repeat)):
        for way in ways:  # interleaved, so a burst of load elsewhere hits every way alike
            runs[way].append(measure(way, args.new_tokens, args.articles))
            print(f"round {round_ + 1} {way}: {json.dumps(runs[way][-1])}", file=sys.stderr)

    n = args.articles
    print(f"\n{n} articles, inputs {(LENGTHS * n)[:n]} tokens, {args.new_tokens} new tokens each; "
          f"median of {max(1, args.repeat)} run(s), each in its own process\n")
    print("| way | what | total s (min-max) | s/article | peak RSS MiB | speed-up vs card |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    card = [r["seconds"] for r in runs["card"] if "seconds" in r]
    card_s = statistics.median(card) if card else None
    for way in ways:
        ok = [r for r in runs[way] if "seconds" in r]
        label = WAYS[way][2]
        detail = ok[0].get("numerics") or ok[0].get("compute_type") if ok else None
        if detail and way in {"mojaz", "ct2"}:
            label += f" (here: {detail})"
        if not ok:
            error = next((r["error"] for r in runs[way] if "error" in r), "failed")
            print(f"| {way} | {label} | - | - | - | failed: {error[:80]} |")
            continue
        seconds = [r["seconds"] for r in ok]
        mid = statistics.median(seconds)
        rss = max(r["peak_rss_mib"] for r in ok)
        ratio = f"{card_s / mid:.1f}x" if card_s else "-"
        print(f"| {way} | {label} | {mid:.1f} ({min(seconds):.1f}-{max(seconds):.1f}) | {mid / n:.2f} "
              f"| {rss:.0f} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
