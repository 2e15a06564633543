"""How many torch threads one process may use for generation.

Several processes each running as many OpenMP threads as there are cores fight over them: on this 2-core
machine a tiny-model call took 4-13 s with 2 threads per process under load, against 0.27 s with 1. So by
default the cores usable by this process are divided between the server's worker processes
(WEB_CONCURRENCY, which gunicorn.conf.py also reads; 1 outside a server). MOJAZ_MODEL_THREADS > 0 overrides.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_processes(environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    try:
        return max(1, int(env.get("WEB_CONCURRENCY", "1")))
    except ValueError:
        return 1


def model_threads(configured: int, environ: Mapping[str, str] | None = None, cores: int | None = None) -> int:
    """`configured` when > 0 (MOJAZ_MODEL_THREADS); else the usable cores divided between the workers."""
    if configured > 0:
        return configured
    return max(1, (usable_cores() if cores is None else cores) // worker_processes(environ))
