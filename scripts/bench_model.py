"""Model-stage speed: the library's own ways against Mojaz's, at equal numerics, on AraBART's architecture.

No download: random weights in an MBart built from AraBART's published config (d_model 768, 6+6 layers,
12 heads, FFN 3072, vocabulary 50,002: the default model's architecture), saved once to a temp folder
and loaded from there by every way, as a real model is (so peak memory includes loading).

Output lengths are realistic, not forced to the maximum: each article's summary length is drawn from
20-60 tokens (XL-Sum Arabic summaries are roughly that long), and one logits processor, given to every
way alike, ends each article's beams exactly there (end-of-sequence banned before, forced at it). A
library batch then runs until its longest summary ends, as real batched generation does; Mojaz's beam
search drops an article from the batch once it has ended (and tells the processor, keep_articles).

  card            the model card's way: one article at a time, fp32, torch.no_grad, torch's threads
  lib-fp32        the library's batched generate: all articles in one padded batch, fp32, inference_mode
  lib-int8        the same after torch.ao dynamic int8 quantization of every Linear (quantize_dynamic)
  lib-bf16        the same with the model loaded in bf16 (from_pretrained(dtype=torch.bfloat16))
  lib-autocast    the same, fp32 weights under torch.autocast("cpu", dtype=torch.bfloat16)
  mojaz-fp32      the product's load and forward step (app/model/loader.py, generation.py, beam_search.py),
                  fp32: tokens identical to lib-fp32
  mojaz-int8 / mojaz-bf16 / mojaz-bf16-int8   the product with MOJAZ_NUMERICS fixed
  mojaz           the product default, MOJAZ_NUMERICS=auto, as app/model/loader.py loads it

Every way uses beam 3, repetition penalty 3.0, no repeated 3-grams (prompts/generation.toml), the same
inputs and the same drawn lengths, and runs in its own process (its peak RSS is its own). Threads: torch's
default for the card (printed), app/model/threads.py for every batched way (printed). --repeat N runs
every way N times, interleaved, and shows the median. --warm K times K calls after an untimed first one in
each process (a running service's case; the default times the first call). --pair A,B loads two ways in
one process and alternates their calls: the ratio per pair of calls, which holds when the machine's speed
drifts between minutes (separate processes' medians do not), and the encoder's seconds in each call, so
the ratio of the rest (the decoding) shows too. --step NUMERICS times one decoding step (all articles x 3
beams) through `model(...)` against app/model/decoder_step.py, alternated, and checks that their logits
are identical. Wrap timed runs in
`flock /tmp/mojaz-bench.lock`.

    flock /tmp/mojaz-bench.lock .venv/bin/python scripts/bench_model.py --repeat 3
    .venv/bin/python scripts/bench_model.py --articles 3 --ways lib-fp32,mojaz-fp32     # quick look
    flock /tmp/mojaz-bench.lock .venv/bin/python scripts/bench_model.py --pair lib-bf16,mojaz-bf16 --calls 9
    flock /tmp/mojaz-bench.lock .venv/bin/python scripts/bench_model.py --step bf16     # one decoding step
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
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
# Input lengths, in tokens: mixed, as a real article set is (one chunk each); repeated for more articles.
LENGTHS = [512, 300, 470, 380, 512, 260, 420, 340]
SUMMARY_TOKENS = (20, 60)
BEAMS = 3
PAD, EOS = 1, 2


def model_folder() -> Path:
    """The random AraBART-size model, saved once under the temp dir (about 560 MB, fp32 safetensors)."""
    folder = Path(tempfile.gettempdir()) / "mojaz-bench-arabart-random"
    if not (folder / "model.safetensors").is_file():
        import torch
        from transformers import MBartConfig, MBartForConditionalGeneration

        torch.manual_seed(0)
        building = Path(tempfile.mkdtemp(prefix="mojaz-bench-building-"))
        MBartForConditionalGeneration(MBartConfig(**ARABART)).save_pretrained(building)
        building.rename(folder)
    return folder


def load(dtype: str = "fp32"):
    import torch
    from transformers import AutoModelForSeq2SeqLM

    model = AutoModelForSeq2SeqLM.from_pretrained(
        model_folder(), dtype=torch.bfloat16 if dtype == "bf16" else torch.float32)
    return model.eval()


def articles(count: int) -> tuple[list[list[int]], list[int]]:
    """Input ids, longest first (the order Mojaz batches in, so row i is article i in every way), and each
    article's drawn summary length."""
    import torch

    generator = torch.Generator().manual_seed(1)
    lengths = sorted((LENGTHS * (count // len(LENGTHS) + 1))[:count], reverse=True)
    inputs = [[0, *torch.randint(5, ARABART["vocab_size"], (n - 2,), generator=generator).tolist(), EOS]
              for n in lengths]
    draw = random.Random(2)
    return inputs, [draw.randint(*SUMMARY_TOKENS) for _ in range(count)]


def stop_at(lengths: list[int]):
    """A logits processor that ends article i's beams after exactly lengths[i] new tokens (the decoder
    start token not counted): end-of-sequence banned before, the only choice then. Mojaz's beam search
    drops finished articles from the batch and tells the processor which remain (keep_articles)."""
    import torch
    from transformers import LogitsProcessor, LogitsProcessorList

    class StopAtDrawnLength(LogitsProcessor):
        def __init__(self) -> None:
            self.lengths = torch.tensor(lengths)

        def keep_articles(self, keep: torch.Tensor) -> None:
            self.lengths = self.lengths[keep]

        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            done = (input_ids.shape[1] - 1) >= self.lengths.repeat_interleave(scores.shape[0] // len(self.lengths))
            scores[~done, EOS] = -float("inf")
            scores[done] = -float("inf")
            scores[done, EOS] = 0.0
            return scores

    return LogitsProcessorList([StopAtDrawnLength()])


def generation_settings(count: int):
    from app.model.generation import GenerationSettings

    # max_new_tokens above every drawn length, min_new_tokens from the prompts (below every drawn length).
    return replace(GenerationSettings.from_prompts(), num_beams=BEAMS, max_new_tokens=SUMMARY_TOKENS[1] + 8,
                   batch_size=max(count, 1))


def library_kwargs(count: int) -> dict:
    return {**generation_settings(count).generate_kwargs(), "pad_token_id": PAD}


def rss_mib() -> float:
    """This process's peak resident memory so far (file pages of the memory-mapped checkpoint included)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def set_threads() -> int:
    import torch

    from app.config import get_settings
    from app.model.threads import model_threads

    torch.set_num_threads(model_threads(get_settings().model_threads))
    return torch.get_num_threads()


def timed(call, warm: int = 0) -> tuple[float, list]:
    """Seconds of `call()` and its output: the first call, or with warm = K (--warm) the median of K calls
    after one untimed call (each warm call gets fresh logits processors, as a new request does)."""
    if warm <= 0:
        return _once(call)
    call()
    results = [_once(call) for _ in range(warm)]
    return statistics.median(seconds for seconds, _ in results), results[-1][1]


def _once(call) -> tuple[float, list]:
    started = time.perf_counter()
    outputs = call()
    return time.perf_counter() - started, outputs


def prepare_card(count: int) -> dict:
    import torch

    model = load()
    loaded = rss_mib()
    inputs, lengths = articles(count)
    kwargs = library_kwargs(count)

    def call() -> list:
        outputs = []
        for ids, length in zip(inputs, lengths, strict=True):
            with torch.no_grad():  # what the card's pipeline did
                generated = model.generate(input_ids=torch.tensor([ids]), logits_processor=stop_at([length]),
                                           **kwargs)
            outputs.append(generated[0].tolist())
        return outputs

    return {"call": call, "threads": torch.get_num_threads(), "load_peak_mib": loaded, "model": model}


def prepare_library(count: int, numerics: str) -> dict:
    """transformers' batched generate, with the library's own quantization for int8 / bf16."""
    import contextlib
    import warnings

    import torch

    threads = set_threads()
    model = load("bf16" if numerics == "bf16" else "fp32")
    if numerics == "int8":
        from torch.ao.quantization import quantize_dynamic

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    loaded = rss_mib()
    inputs, lengths = articles(count)
    width = max(map(len, inputs))
    ids = torch.tensor([row + [PAD] * (width - len(row)) for row in inputs])
    mask = (ids != PAD).long()
    autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if numerics == "autocast"
                else contextlib.nullcontext())

    def call() -> list:
        with torch.inference_mode(), autocast:
            return model.generate(input_ids=ids, attention_mask=mask, logits_processor=stop_at(lengths),
                                  **library_kwargs(count)).tolist()

    return {"call": call, "threads": threads, "load_peak_mib": loaded, "model": model}


def prepare_mojaz(count: int, numerics: str | None = None) -> dict:
    """The product's load (app/model/loader.py: load_model) and forward step (generate_ids)."""
    import functools

    from app.config import get_settings
    from app.model.generation import generate_ids
    from app.model.loader import load_model, numerics_for

    threads = set_threads()
    chosen = numerics or numerics_for(get_settings())
    model = load_model(str(model_folder()), chosen)
    loaded = rss_mib()
    inputs, lengths = articles(count)
    generate = model.generate

    def call() -> list:
        model.generate = functools.partial(generate, logits_processor=stop_at(lengths))
        return generate_ids(model, inputs, PAD, generation_settings(count))

    return {"call": call, "threads": threads, "numerics": chosen, "load_peak_mib": loaded, "model": model}


# way -> (function, keyword arguments, numerics, what it is)
WAYS: dict[str, tuple] = {
    "card": (prepare_card, {}, "fp32", "model card: one article at a time, fp32"),
    "lib-fp32": (prepare_library, {"numerics": "fp32"}, "fp32", "library batched generate, fp32"),
    "lib-int8": (prepare_library, {"numerics": "int8"}, "int8", "library batched, torch.ao dynamic int8"),
    "lib-bf16": (prepare_library, {"numerics": "bf16"}, "bf16", "library batched, loaded in bf16"),
    "lib-autocast": (prepare_library, {"numerics": "autocast"}, "bf16", "library batched, fp32 under bf16 autocast"),
    "mojaz-fp32": (prepare_mojaz, {"numerics": "fp32"}, "fp32", "Mojaz, fp32"),
    "mojaz-int8": (prepare_mojaz, {"numerics": "int8"}, "int8", "Mojaz, int8 dynamic quantization"),
    "mojaz-bf16": (prepare_mojaz, {"numerics": "bf16"}, "bf16", "Mojaz, bf16"),
    "mojaz-bf16-int8": (prepare_mojaz, {"numerics": "bf16-int8"}, "bf16-int8",
                        "Mojaz, bf16 with int8 per-step decoder linears"),
    "mojaz": (prepare_mojaz, {}, "auto", "Mojaz default, numerics auto"),
}
DEFAULT_WAYS = list(WAYS)


def child(way: str, count: int, warm: int = 0) -> None:
    function, kwargs, _, _ = WAYS[way]
    result = function(count, **kwargs)
    result.pop("model")  # for --pair's encoder clock; not printable
    result["seconds"], outputs = timed(result.pop("call"), warm)
    result["new_tokens"] = [sum(1 for t in row[1:] if t not in (PAD, EOS)) for row in outputs]
    result["tokens"] = fingerprint(outputs)
    result["peak_rss_mib"] = rss_mib()
    print(json.dumps(result))


def fingerprint(outputs: list) -> str:
    """A fingerprint of the tokens, trailing padding removed, to compare ways with."""
    rows = [list(row) for row in outputs]
    for row in rows:
        while row and row[-1] == PAD:
            row.pop()
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:12]


def paired(library: str, ours: str, count: int, calls: int) -> int:
    """Both ways loaded in one process, their calls alternated after one untimed call each: each pair of
    calls meets the same machine, so the ratio holds when this machine's speed drifts between minutes (it
    does here, by up to 2x), where separate processes' medians do not. The encoder's share of each call
    is timed too (its forward wrapped): the ratio of the rest is the decoding's."""
    prepared = {way: WAYS[way][0](count, **WAYS[way][1]) for way in (library, ours)}
    encoder = {way: encoder_clock(entry["model"]) for way, entry in prepared.items()}
    for entry in prepared.values():
        entry["call"]()
    seconds: dict[str, list[float]] = {library: [], ours: []}
    encoding: dict[str, list[float]] = {library: [], ours: []}
    tokens: dict[str, str] = {}
    for _ in range(calls):
        for way, entry in prepared.items():
            encoder[way][0] = 0.0
            took, outputs = _once(entry["call"])
            seconds[way].append(took)
            encoding[way].append(encoder[way][0])
            tokens[way] = fingerprint(outputs)
    ratios = sorted(a / b for a, b in zip(seconds[library], seconds[ours], strict=True))
    rest = statistics.median(
        (a - x) / (b - y)
        for a, x, b, y in zip(seconds[library], encoding[library], seconds[ours], encoding[ours], strict=True))
    print("| library way vs Mojaz way | threads | pairs of calls | median s: library / Mojaz "
          "| ratio per pair: median (min-max) | encoder s: library / Mojaz | the rest: ratio | tokens |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    print(f"| {library} vs {ours} | {prepared[ours]['threads']} | {calls} | "
          f"{statistics.median(seconds[library]):.2f} / {statistics.median(seconds[ours]):.2f} | "
          f"**{statistics.median(ratios):.2f}x** ({ratios[0]:.2f}-{ratios[-1]:.2f}) | "
          f"{statistics.median(encoding[library]):.2f} / {statistics.median(encoding[ours]):.2f} | {rest:.2f}x | "
          f"{'same' if tokens[library] == tokens[ours] else f'{tokens[library]} / {tokens[ours]}'} |")
    return 0


def decoding_steps(numerics: str, count: int, steps: int) -> int:
    """One decoding step through `model(...)` (the library's forward, as beam search called it before
    app/model/decoder_step.py) against app/model/decoder_step.py's, alternated on the same inputs, with
    the product's model and folded attention: all articles x 3 beams decoding, beams moved at random
    within their article after each step. Checks the logits are equal bit for bit."""
    import torch
    from transformers.cache_utils import DynamicCache, EncoderDecoderCache
    from transformers.modeling_outputs import BaseModelOutput

    from app.model.decoder_step import MBartDecodingStep
    from app.model.generation import _encoded_alone, _register_folded_attention
    from app.model.loader import load_model

    threads = set_threads()
    model = load_model(str(model_folder()), numerics)
    model.set_attn_implementation(_register_folded_attention())
    inputs, _ = articles(count)
    width = max(map(len, inputs))
    mask = (torch.tensor([row + [PAD] * (width - len(row)) for row in inputs]) != PAD).long()
    generator = torch.Generator().manual_seed(0)
    library, ours, equal = [], [], True
    with torch.inference_mode():
        states = _encoded_alone(model, inputs, width)["encoder_outputs"].last_hidden_state
        step = MBartDecodingStep(model, states, mask, BEAMS)
        cache = EncoderDecoderCache(DynamicCache(), DynamicCache())
        tokens = torch.full((count * BEAMS,), EOS)
        for _ in range(steps):
            started = time.perf_counter()
            want = model(encoder_outputs=BaseModelOutput(last_hidden_state=states), attention_mask=mask,
                         decoder_input_ids=tokens[:, None], past_key_values=cache, use_cache=True).logits[:, -1]
            library.append(time.perf_counter() - started)
            started = time.perf_counter()
            got = step.step(tokens[:, None])
            ours.append(time.perf_counter() - started)
            equal = equal and torch.equal(got, want)
            tokens = torch.randint(5, ARABART["vocab_size"], (count * BEAMS,), generator=generator)
            moved = (torch.arange(count)[:, None] * BEAMS
                     + torch.randint(0, BEAMS, (count, BEAMS), generator=generator)).flatten()
            cache.self_attention_cache.reorder_cache(moved)
            step.reorder(moved)
    ratios = sorted(a / b for a, b in zip(library[1:], ours[1:], strict=True))  # the first builds the caches
    print(f"{numerics}, {threads} threads, {count * BEAMS} rows, steps 2-{steps}: model(...) "
          f"{statistics.median(library[1:]) * 1e3:.1f} ms, decoder_step {statistics.median(ours[1:]) * 1e3:.1f} ms"
          f" (median); ratio per step {statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f}); "
          f"logits {'identical' if equal else 'DIFFERENT'}")
    return 0 if equal else 1


def encoder_clock(model) -> list[float]:
    """Wrap `model`'s encoder forward so that its seconds add up in the returned one-item list."""
    import functools

    encoder = model.get_encoder()
    forward = encoder.forward
    clock = [0.0]

    @functools.wraps(forward)  # generate reads the encoder's signature
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return forward(*args, **kwargs)
        finally:
            clock[0] += time.perf_counter() - started

    encoder.forward = timed
    return clock


def measure(way: str, count: int, warm: int = 0) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", way, "--articles", str(count), "--warm", str(warm)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Model-stage benchmark (random AraBART-size weights).")
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--ways", default=",".join(DEFAULT_WAYS), help=f"comma-separated, from: {', '.join(WAYS)}")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds (each way once per round, in its own process); the median is shown")
    parser.add_argument("--warm", type=int, default=0,
                        help="time K calls after one untimed call in each process (median; a running service's "
                             "case) instead of the first call")
    parser.add_argument("--pair", metavar="LIBRARY_WAY,MOJAZ_WAY",
                        help="both ways in one process, calls alternated (--calls pairs): the ratio per pair")
    parser.add_argument("--calls", type=int, default=9, help="pairs of calls for --pair")
    parser.add_argument("--step", metavar="NUMERICS", choices=["fp32", "bf16", "int8", "bf16-int8"],
                        help="time one decoding step: model(...) against app/model/decoder_step.py")
    parser.add_argument("--steps", type=int, default=25, help="decoding steps for --step")
    parser.add_argument("--child", choices=sorted(WAYS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.articles, args.warm)
        return 0
    if args.step:
        model_folder()
        return decoding_steps(args.step, args.articles, max(2, args.steps))
    if args.pair:
        pair = args.pair.split(",")
        if len(pair) != 2 or any(way not in WAYS for way in pair):
            parser.error(f"--pair takes two ways, from: {', '.join(WAYS)}")
        model_folder()
        return paired(pair[0], pair[1], args.articles, max(1, args.calls))

    ways = [w for w in args.ways.split(",") if w]
    unknown = [w for w in ways if w not in WAYS]
    if unknown:
        parser.error(f"unknown way(s): {', '.join(unknown)}")
    model_folder()
    runs: dict[str, list[dict]] = {way: [] for way in ways}
    for round_ in range(max(1, args.repeat)):
        for way in ways:  # interleaved, so a burst of load elsewhere hits every way alike
            runs[way].append(measure(way, args.articles, args.warm))
            print(f"round {round_ + 1} {way}: {json.dumps(runs[way][-1])}", file=sys.stderr)

    import torch

    from app.model.numerics import cpu_capabilities, native_bf16, resolve_numerics

    n = args.articles
    inputs, lengths = articles(n)
    caps = cpu_capabilities()
    when = f"the median of {args.warm} warm calls" if args.warm > 0 else "its first call"
    flags = [f for f in ("avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8") if caps.get(f)]
    print(f"\n{n} articles, inputs {[len(i) for i in inputs]} tokens, summaries {lengths} new tokens "
          f"(drawn from {SUMMARY_TOKENS[0]}-{SUMMARY_TOKENS[1]}), beam {BEAMS}; median of {max(1, args.repeat)} "
          f"run(s), each in its own process, each timing {when}. torch {torch.__version__}, "
          f"CPU flags: {', '.join(flags) or 'none'}; "
          f"auto = {resolve_numerics('auto')} (native bf16: {native_bf16()})\n")
    print("| way | what | numerics | threads | total s (min-max) | peak RSS MiB: load / run | tokens | vs lib-fp32 |")
    print("| --- | --- | --- | ---: | ---: | ---: | --- | ---: |")
    base = [r["seconds"] for r in runs.get("lib-fp32", []) if "seconds" in r]
    base_s = statistics.median(base) if base else None
    reference = next((r.get("tokens") for r in runs.get("lib-fp32", []) if "tokens" in r), None)
    for way in ways:
        ok = [r for r in runs[way] if "seconds" in r]
        _, _, numerics, label = WAYS[way]
        if not ok:
            error = next((r["error"] for r in runs[way] if "error" in r), "failed")
            print(f"| {way} | {label} | {numerics} | - | - | - | - | failed: {error[:80]} |")
            continue
        if way == "mojaz":
            numerics = f"auto = {ok[0]['numerics']}"
        seconds = [r["seconds"] for r in ok]
        mid = statistics.median(seconds)
        rss = f"{max(r['load_peak_mib'] for r in ok):.0f} / {max(r['peak_rss_mib'] for r in ok):.0f}"
        same = "same as lib-fp32" if reference and ok[0]["tokens"] == reference else ok[0]["tokens"]
        ratio = f"{base_s / mid:.2f}x" if base_s else "-"
        spread = f"{mid:.1f} ({min(seconds):.1f}-{max(seconds):.1f})"
        print(f"| {way} | {label} | {numerics} | {ok[0]['threads']} | {spread} | {rss} | {same} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
