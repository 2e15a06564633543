"""How many torch threads one process may use for generation.

Several processes each running as many OpenMP threads as there are cores fight over them: on this 2-core
machine a tiny-model call took 4-13 s with 2 threads per process under load, against 0.27 s with 1. So by
default the cores usable by this process are divided between the server's worker processes
(WEB_CONCURRENCY, which gunicorn.conf.py also reads; 1 outside a server). MOJAZ_MODEL_THREADS > 0 overrides.

"Usable" is the smaller of the CPUs this process may run on (sched_getaffinity) and its cgroup's CPU quota
rounded up (`docker run --cpus=2` on a 64-core host: 2, not 64): cgroup v2 `cpu.max`, v1
`cpu.cfs_quota_us` / `cpu.cfs_period_us`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _cgroup_dirs(root: Path, proc_self_cgroup: Path, controller: str | None) -> list[Path]:
    """This process's own cgroup folder(s) for a controller (v1) or the unified hierarchy (v2), then the
    root itself (inside a container the process's cgroup is usually mounted there)."""
    found: list[Path] = []
    for line in (_read(proc_self_cgroup) or "").splitlines():
        _, controllers, path = line.split(":", 2)
        names = controllers.split(",")
        if (controller is None and controllers == "") or (controller is not None and controller in names):
            base = root if controller is None else root / controllers
            found.append(base / path.lstrip("/"))
    found.append(root if controller is None else root / "cpu")
    found.append(root / "cpu,cpuacct")
    return found


def cgroup_cpu_limit(root: Path = CGROUP_ROOT, proc_self_cgroup: Path = PROC_SELF_CGROUP) -> float | None:
    """CPUs allowed by the CPU quota (e.g. 2.0 for --cpus=2), or None when no quota is set."""
    for folder in _cgroup_dirs(root, proc_self_cgroup, None):
        value = _read(folder / "cpu.max")  # v2: "<quota> <period>" or "max <period>"
        if value:
            quota, _, period = value.partition(" ")
            if quota == "max":
                return None
            return int(quota) / int(period or "100000")
    for folder in _cgroup_dirs(root, proc_self_cgroup, "cpu"):
        quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
        if quota is not None and period is not None:
            return None if int(quota) <= 0 else int(quota) / int(period)
    return None


def usable_cores(root: Path = CGROUP_ROOT, proc_self_cgroup: Path = PROC_SELF_CGROUP) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        limit = cgroup_cpu_limit(root, proc_self_cgroup)
    except ValueError:  # a cgroup file in a form we do not know: trust the affinity
        limit = None
    return cores if limit is None else max(1, min(cores, math.ceil(limit)))


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
