"""`python -m app daily` / scripts/daily_briefing.py: the morning report of yesterday's articles."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import InputError

PROG = "daily"
EXIT_INPUT = 1  # missing input, no article that day, service unreachable
EXIT_USAGE = 2  # bad flag or value


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)  # one line, not argparse's usage block


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Group one day's articles into stories and write one briefing per story "
        "to DIR/YYYY-MM-DD.{md,html,json}.",
    )
    parser.add_argument("input", type=Path, help="a folder tree of article files, or a JSONL feed")
    parser.add_argument("--date", help="the day to report, YYYY-MM-DD (default: yesterday, local time)")
    parser.add_argument("--tz", help="IANA time zone that defines the day, e.g. Asia/Riyadh (default: local)")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    parser.add_argument("--focus", help="the question each briefing answers (default: prompts/focus.txt)")
    parser.add_argument("--max-words", type=int, help="word budget of each story's briefing")
    parser.add_argument("--model", help="model folder for the model stage, or 'none' for extractive only")
    parser.add_argument("--threshold", type=float, help="story grouping: cosine distance cut (default 0.75)")
    parser.add_argument(
        "--no-meaning-check",
        action="store_true",
        help="group stories by words only, without the sentence-embedding check (faster, less pure)",
    )
    parser.add_argument("--top", type=int, default=20, help="stories with a full briefing (default 20)")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="where embeddings and briefings are kept for the next run of the day (default: OUT/.cache)",
    )
    parser.add_argument("--no-cache", action="store_true", help="compute everything afresh and keep nothing")
    parser.add_argument(
        "--cache-days",
        type=float,
        default=7.0,
        help="drop cache entries no run has used for this many days (default 7; 0: keep only this run's)",
    )
    parser.add_argument(
        "--cache-max-mb",
        type=float,
        default=256.0,
        help="then drop the least recently used entries while the cache holds more (default 256 MB)",
    )
    service = parser.add_argument_group("service mode")
    service.add_argument("--service-url", help="send each story to this Mojaz service instead")
    service.add_argument("--workers", type=int, default=4, help="stories in flight at once (default 4)")
    service.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one answer")
    service.add_argument("--retries", type=int, default=3, help="retries on connection errors, 429 and 5xx")
    return parser


def _zone(name: str | None) -> tzinfo:
    from app.daily.feed import local_zone

    if not name:
        return local_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"unknown time zone {name!r}", "--tz") from exc


def _check(args: argparse.Namespace) -> None:
    if args.max_words is not None and args.max_words < 20:
        raise _UsageError("--max-words must be at least 20")
    if args.threshold is not None and not 0 < args.threshold < 1:
        raise _UsageError("--threshold must be between 0 and 1")
    if args.top < 0:
        raise _UsageError("--top must be 0 or more")
    if args.cache_days < 0 or args.cache_max_mb < 0:
        raise _UsageError("--cache-days and --cache-max-mb must be 0 or more")
    if args.workers < 1 or args.retries < 0 or args.timeout <= 0:
        raise _UsageError("--workers must be >= 1, --retries >= 0 and --timeout > 0")
    if args.service_url and not args.service_url.startswith(("http://", "https://")):
        raise _UsageError(f"--service-url must start with http:// or https:// (got {args.service_url!r})")


def _runner(args: argparse.Namespace):  # -> BriefingRunner
    from app.daily.runner import InProcessRunner, ServiceRunner

    options = {"focus": args.focus, "max_words": args.max_words}
    if args.service_url:
        return ServiceRunner(
            args.service_url, workers=args.workers, timeout=args.timeout, retries=args.retries, **options
        )
    from app.config import get_settings

    settings = get_settings(model=args.model) if args.model is not None else get_settings()
    return InProcessRunner.from_settings(settings, **options)


def main(argv: Sequence[str] | None = None) -> int:
    from app.daily.feed import parse_day, yesterday
    from app.daily.pipeline import run_daily
    from app.daily.runner import ServiceUnavailable
    from app.daily.stories import DEFAULT_THRESHOLD

    try:
        args = build_parser().parse_args(argv)
        _check(args)
        try:
            zone = _zone(args.tz)
            day = parse_day(args.date) if args.date else yesterday(zone)
        except InputError as exc:  # a bad flag value, like argparse's own errors
            raise _UsageError(str(exc)) from exc
        if not args.input.exists():  # before loading any model
            raise InputError(f"no such file or folder: {args.input}", "input")
        result = run_daily(
            args.input,
            day,
            zone,
            args.out,
            _runner(args),
            threshold=args.threshold or DEFAULT_THRESHOLD,
            meaning=not args.no_meaning_check,
            top=args.top,
            cache_dir=args.cache_dir,
            use_cache=not args.no_cache,
            cache_days=args.cache_days,
            cache_max_mb=args.cache_max_mb,
        )
    except _UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (InputError, ServiceUnavailable) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:  # unwritable --out, full disk: the previous report is still in place
        print(f"{PROG}: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; report files are replaced whole or not at all", file=sys.stderr)
        return 130
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    print(result.summary_line(), file=sys.stderr)
    return 0
