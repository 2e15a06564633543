#!/usr/bin/env bash
# Creates .venv and installs Mojaz with its test tools. Safe to rerun.
#
# torch comes from the PyTorch CPU index (MOJAZ_TORCH_INDEX): the Python package index's torch==2.13.0
# wheel for Linux needs the CUDA libraries (GBs), the CPU index has 2.13.0+cpu, which pip prefers for the
# same pin. The index is probed first (5 s at most); where it cannot be reached, torch comes from the
# default index (or a CPU wheel the machine already has), with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
VENV=${MOJAZ_VENV:-.venv}
TORCH_INDEX=${MOJAZ_TORCH_INDEX-https://download.pytorch.org/whl/cpu}
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"

extra=()
# Any HTTP answer from <index>/torch/ counts; `timeout` also bounds a name lookup that hangs.
if [ -n "$TORCH_INDEX" ] && timeout 10 "$VENV/bin/python" - "$TORCH_INDEX" <<'PYEOF'
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1].rstrip("/") + "/torch/", timeout=5)
except urllib.error.HTTPError:
    pass
except Exception:
    sys.exit(1)
PYEOF
then
    extra=(--extra-index-url "$TORCH_INDEX")
elif [ -n "$TORCH_INDEX" ]; then
    echo "setup: $TORCH_INDEX is unreachable; torch comes from the default index (a CPU wheel only where one is available)" >&2
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "${extra[@]}" -r requirements-dev.txt
