"""Numerics chosen from the CPU, and the thread policy, without loading a model."""

from __future__ import annotations

import pytest
import torch

from app.config import Settings
from app.model.loader import numerics_for
from app.model.numerics import ct2_compute_type, native_bf16, resolve_numerics
from app.model.threads import model_threads

SAPPHIRE_RAPIDS = {"architecture": "x86_64", "avx512_f": True, "avx512_vnni": True, "amx_tile": True,
                   "amx_int8": True, "amx_bf16": True, "avx512_bf16": True}
COOPER_LAKE = {"architecture": "x86_64", "avx512_f": True, "avx512_vnni": True, "avx512_bf16": True,
               "amx_bf16": False}
SKYLAKE = {"architecture": "x86_64", "avx2": True, "avx512_f": True, "avx512_bf16": False, "amx_bf16": False}
ZEN3 = {"architecture": "x86_64", "avx2": True}


@pytest.mark.parametrize(("capabilities", "expected"), [
    (SAPPHIRE_RAPIDS, "bf16"), (COOPER_LAKE, "int8"), (SKYLAKE, "int8"), (ZEN3, "int8"), ({}, "int8"),
])
def test_auto_picks_bf16_only_on_cpus_with_amx(capabilities: dict, expected: str) -> None:
    assert resolve_numerics("auto", capabilities) == expected
    assert native_bf16(capabilities) == (capabilities in (SAPPHIRE_RAPIDS, COOPER_LAKE))


@pytest.mark.parametrize(("capabilities", "expected"), [(SAPPHIRE_RAPIDS, "bf16"), (COOPER_LAKE, "int8"),
                                                        (SKYLAKE, "int8")])
def test_auto_reads_torchs_cpu_capabilities(monkeypatch: pytest.MonkeyPatch, capabilities: dict, expected: str) -> None:
    monkeypatch.setattr(torch.cpu, "get_capabilities", lambda: capabilities)
    assert resolve_numerics("auto") == expected
    assert numerics_for(Settings(numerics="auto")) == expected
    assert numerics_for(Settings(numerics="auto", quantize=False)) == "fp32"


def test_explicit_numerics_are_kept_and_unknown_ones_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cpu, "get_capabilities", lambda: SKYLAKE)
    assert [resolve_numerics(n) for n in ("bf16", "INT8", " fp32 ", "bf16-int8")] == ["bf16", "int8", "fp32", "bf16-int8"]
    with pytest.raises(ValueError, match="numerics must be one of"):
        resolve_numerics("fp8")


def test_numerics_and_threads_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOJAZ_NUMERICS", "int8")
    monkeypatch.setenv("MOJAZ_MODEL_THREADS", "3")
    settings = Settings()
    assert numerics_for(settings) == "int8" and settings.model_threads == 3
    monkeypatch.setenv("MOJAZ_QUANTIZE", "false")
    assert numerics_for(Settings()) == "fp32"


def test_ct2_compute_type_falls_back_to_what_the_build_supports() -> None:
    cpu_without_bf16 = {"float32", "int8", "int8_float32", "int16"}
    assert ct2_compute_type("bf16", cpu_without_bf16) == "int8"
    assert ct2_compute_type("bf16-int8", cpu_without_bf16) == "int8"
    assert ct2_compute_type("bf16", cpu_without_bf16 | {"int8_bfloat16", "bfloat16"}) == "int8_bfloat16"
    assert ct2_compute_type("int8", cpu_without_bf16) == "int8"
    assert ct2_compute_type("fp32", cpu_without_bf16) == "float32"


@pytest.mark.parametrize(("configured", "workers", "cores", "expected"), [
    (0, None, 2, 2),    # CLI or a single process: every usable core
    (0, "2", 2, 1),     # gunicorn's default 2 workers on 2 cores: one thread each, no oversubscription
    (0, "4", 16, 4),
    (0, "4", 2, 1),     # never below one
    (0, "junk", 8, 8),  # an unreadable WEB_CONCURRENCY counts as one worker
    (3, "4", 2, 3),     # MOJAZ_MODEL_THREADS > 0 always wins
])
def test_threads_divide_the_cores_between_workers(configured: int, workers: str | None, cores: int,
                                                  expected: int) -> None:
    environ = {} if workers is None else {"WEB_CONCURRENCY": workers}
    assert model_threads(configured, environ, cores) == expected
