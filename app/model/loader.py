"""Load the configured summarization model; on any problem, say why and let the product run extractively.

MOJAZ_MODEL (Settings.model) names a folder (absolute, relative to the working directory or the project,
or a name under models/) or a hub id. A hub id is looked up under models/<name> first and fetched from
the hub only when neither HF_HUB_OFFLINE nor TRANSFORMERS_OFFLINE is set.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from app.config import ROOT, Settings, get_settings
from app.model.numerics import Numerics, apply_numerics, ct2_compute_type, resolve_numerics
from app.model.threads import model_threads
from app.summarizer import NO_MODEL, ArticleSummarizer, ModelStatus

log = logging.getLogger(__name__)

DEFAULT_HUB_ID = "abdalrahmanshahrour/arabartsummarization"
MODELS_DIR = ROOT / "models"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_DISABLED = {"", "none", "off", "false", "0", "extractive"}


def _offline() -> bool:
    return any(os.environ.get(name, "").lower() in {"1", "true", "yes", "on"}
               for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def hub_reachable(timeout_s: float = 3.0) -> bool:
    """A quick TCP check, so an offline start-up does not sit through huggingface_hub's retries."""
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=timeout_s).close()
    except OSError:
        return False
    return True


def resolve_model(spec: str, models_dir: Path = MODELS_DIR) -> tuple[Path | None, str | None]:
    """(local folder, None) when a folder exists; (None, hub id) when spec may be a hub id; else (None, None)."""
    path = Path(spec).expanduser()
    candidates = [path] if path.is_absolute() else [Path.cwd() / path, ROOT / path, models_dir / path]
    candidates.append(models_dir / path.name)  # a hub id owner/name downloaded to models/name
    if spec == DEFAULT_HUB_ID:
        candidates.append(models_dir / "arabart-summ")  # where scripts/download_model.py puts the default
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve(), None
    first = path.parts[0] if path.parts else ""
    if _HUB_ID.match(spec) and first not in {"models", ".", "..", "~"}:
        return None, spec
    return None, None


def _weights_stamp(folder: Path) -> str:
    """Size and mtime of the weight files, so replacing weights in place changes the cache key."""
    stamps = [
        f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}"
        for p in sorted(folder.iterdir())
        if p.suffix in {".safetensors", ".bin"}
    ]
    return ",".join(stamps)


def _ct2_available(folder: Path | None) -> bool:
    if folder is None or not (folder / "ct2" / "model.bin").is_file():
        return False
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        log.warning("%s/ct2 exists but ctranslate2 is not installed; using torch", folder)
        return False
    return True


def _load(source: str, folder: Path | None, settings: Settings) -> dict[str, Any]:
    """Keyword arguments for Seq2SeqSummarizer (model or generator, tokenizer, config) and a description."""
    import torch
    import transformers
    from transformers import AutoConfig, AutoTokenizer

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    threads = model_threads(settings.model_threads)
    torch.set_num_threads(threads)
    numerics = numerics_for(settings)
    tokenizer = AutoTokenizer.from_pretrained(source)
    config = AutoConfig.from_pretrained(source)
    if not getattr(config, "is_encoder_decoder", False):
        raise ValueError(f"{config.model_type} is not an encoder-decoder model")

    if folder is not None and _ct2_available(folder):
        from app.model.ct2 import Ct2Generator

        compute = ct2_compute_type(numerics)
        generator = Ct2Generator(folder / "ct2", tokenizer, config, threads=threads, compute_type=compute)
        detail = f"{config.model_type}, CTranslate2 {compute}, {threads} threads"
        return {"model": None, "generator": generator, "tokenizer": tokenizer, "config": config,
                "numerics": numerics, "detail": detail}

    model = load_model(source, numerics)
    params = sum(p.numel() for p in model.parameters())
    detail = f"{config.model_type}, {params / 1e6:.1f}M parameters, {NUMERICS_DETAIL[numerics]}"
    detail += f", {torch.get_num_threads()} threads"
    return {"model": model, "generator": None, "tokenizer": tokenizer, "config": model.config,
            "numerics": numerics, "detail": detail}


def load_model(source: str, numerics: Numerics) -> Any:
    """The seq2seq model in `numerics`, in eval mode. bf16 formats load straight into bf16 (the fp32
    weights are never all in memory: half the peak); int8 quantizes from fp32, as torch.ao needs."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    dtype = torch.bfloat16 if numerics in {"bf16", "bf16-int8"} else torch.float32
    model = AutoModelForSeq2SeqLM.from_pretrained(source, dtype=dtype)
    model.eval()
    return apply_numerics(model, numerics)


NUMERICS_DETAIL = {
    "bf16-int8": "bf16-int8 (bf16, int8 decoding steps)", "bf16": "bf16", "int8": "int8 dynamic quantization",
    "fp32": "fp32",
}


def numerics_for(settings: Settings) -> Numerics:
    """MOJAZ_NUMERICS resolved for this CPU; MOJAZ_QUANTIZE=false keeps meaning fp32."""
    return resolve_numerics(settings.numerics) if settings.quantize else "fp32"


def load_summarizer(
    model: str | None = None, settings: Settings | None = None
) -> tuple[ArticleSummarizer | None, ModelStatus]:
    """(summarizer, status), or (None, extractive status with the reason). Never raises for a bad model."""
    from app.model.cache import SummaryCache
    from app.model.generation import GenerationSettings
    from app.model.guard import common_word_set
    from app.model.summarizer import Seq2SeqSummarizer
    from app.prompts import lines

    settings = settings or get_settings()
    spec = (settings.model if model is None else model).strip()
    if spec.lower() in _DISABLED:
        return None, NO_MODEL

    started = time.perf_counter()
    folder, hub_id = resolve_model(spec)
    if folder is None and hub_id is None:
        reason = (f"model folder '{spec}' not found; run python scripts/download_model.py "
                  "or set MOJAZ_MODEL to a model folder")
        return None, ModelStatus("extractive", spec, reason)
    if folder is None and (_offline() or not hub_reachable()):
        reason = (f"model '{spec}' is not under models/ and the model hub cannot be reached; "
                  "run python scripts/download_model.py where there is network")
        return None, ModelStatus("extractive", spec, reason, time.perf_counter() - started)

    source = str(folder) if folder else str(hub_id)
    try:
        loaded = _load(source, folder, settings)
        detail = loaded.pop("detail")
        backend = "ct2" if loaded["generator"] else "torch"
        summarizer = Seq2SeqSummarizer(
            loaded.pop("model"),
            loaded.pop("tokenizer"),
            **loaded,
            model_name=spec,
            model_id=f"{source}|{_weights_stamp(folder) if folder else ''}|{backend}",
            generation=GenerationSettings.from_prompts(),
            cache=SummaryCache(settings.cache_path) if settings.cache_path else None,
            common_words=common_word_set(lines("guard_common_words.txt")),
        )
    except Exception as error:  # a corrupt folder or a failed download must not stop the product
        message = " ".join(str(error).split())[:300]
        reason = f"could not load model '{spec}' ({type(error).__name__}: {message}); extractive only"
        log.warning(reason)
        return None, ModelStatus("extractive", spec, reason, time.perf_counter() - started)

    seconds = time.perf_counter() - started
    status = ModelStatus("abstractive+extractive", spec, f"loaded {source} ({detail})", seconds)
    log.info("model stage: %s in %.1f s", status.reason, seconds)
    return summarizer, status
