#!/usr/bin/env python
"""The daily briefing (cron): python scripts/daily_briefing.py FEED_OR_FOLDER --out DIR [--date YYYY-MM-DD]."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.daily.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
