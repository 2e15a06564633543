"""Torch threads follow the container's CPU quota (cgroup v2 cpu.max, v1 cfs_quota_us), not the host's
cores: `docker run --cpus=2` on a 64-core host gives 2 usable cores, so 1 thread per worker with two."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.model.threads import cgroup_cpu_limit, model_threads, usable_cores
from tests.helpers import write


def v2(tmp_path: Path, cpu_max: str, own: str = "/") -> tuple[Path, Path]:
    root = tmp_path / "cgroup"
    write(root / own.lstrip("/") / "cpu.max", cpu_max + "\n")
    return root, write(tmp_path / "proc-self-cgroup", f"0::{own}\n")


def v1(tmp_path: Path, quota: str, period: str = "100000") -> tuple[Path, Path]:
    root = tmp_path / "cgroup"
    own = "/docker/abc123"
    write(root / "cpu,cpuacct" / own.lstrip("/") / "cpu.cfs_quota_us", quota + "\n")
    write(root / "cpu,cpuacct" / own.lstrip("/") / "cpu.cfs_period_us", period + "\n")
    lines = f"12:memory:{own}\n4:cpu,cpuacct:{own}\n1:name=systemd:{own}\n"
    return root, write(tmp_path / "proc-self-cgroup", lines)


@pytest.mark.parametrize(
    ("cpu_max", "own", "expected"),
    [
        ("200000 100000", "/", 2.0),  # --cpus=2, cgroup namespace: the container's cgroup is the root
        ("150000 100000", "/system.slice/docker-1.scope", 1.5),  # no namespace: found through /proc/self/cgroup
        ("max 100000", "/", None),  # no quota
    ],
)
def test_cgroup_v2_cpu_max(tmp_path, cpu_max, own, expected) -> None:  # type: ignore[no-untyped-def]
    assert cgroup_cpu_limit(*v2(tmp_path, cpu_max, own)) == expected


@pytest.mark.parametrize(("quota", "expected"), [("200000", 2.0), ("50000", 0.5), ("-1", None)])
def test_cgroup_v1_cfs_quota(tmp_path, quota, expected) -> None:  # type: ignore[no-untyped-def]
    assert cgroup_cpu_limit(*v1(tmp_path, quota)) == expected


def test_no_cgroup_files_means_no_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert cgroup_cpu_limit(tmp_path / "none", tmp_path / "no-proc") is None


def test_usable_cores_is_the_quota_rounded_up_never_above_the_affinity(tmp_path) -> None:  # type: ignore[no-untyped-def]
    affinity = len(os.sched_getaffinity(0))
    assert usable_cores(*v2(tmp_path / "a", "100000 100000")) == 1
    assert usable_cores(*v2(tmp_path / "b", "50000 100000")) == 1  # half a CPU still gets one thread
    assert usable_cores(*v1(tmp_path / "c", str(6_400_000))) == affinity  # quota of 64 CPUs on a smaller box
    assert usable_cores(*v2(tmp_path / "d", "max 100000")) == affinity
    assert usable_cores(*v2(tmp_path / "e", "garbage here")) == affinity  # unreadable: trust the affinity


def test_docker_cpus_2_with_two_workers_gives_one_thread_each(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root, proc = v2(tmp_path, "200000 100000")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    cores = usable_cores(root, proc)
    assert cores == 2
    assert model_threads(0, {"WEB_CONCURRENCY": "2"}, cores) == 1
    assert model_threads(0, {"WEB_CONCURRENCY": "2"}, 64) == 32  # what the host's cores alone would give
    assert model_threads(8, {"WEB_CONCURRENCY": "2"}, cores) == 8  # MOJAZ_MODEL_THREADS wins
