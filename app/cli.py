"""The command line: `brief` writes one briefing of an article set; `daily` is app.daily.cli.

Bad input never shows a stack trace: one line `mojaz: error: …` on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app.atomic_files import write_atomic
from app.errors import InputError
from app.summarizer import ArticleSummarizer, ModelStatus

PROG = "mojaz"
EXIT_INPUT = 2
EXIT_TEMPLATE = 1
FORMATS = ("json", "markdown", "html")  # = app.render.FORMATS; not imported so --help stays fast
_SUFFIX_FORMATS = {".json": "json", ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
_FLAGS = {"max_words": "--max-words", "focus": "--focus", "format": "--format", "model": "--model"}


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)  # one line instead of argparse's usage block


def _word_budget(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of words, got {value!r}") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of words, got {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Mojaz (موجز): one sourced Arabic briefing from a set of news articles.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{brief,daily}")
    brief = commands.add_parser(
        "brief",
        help="one briefing of the articles in PATH... (files or folders)",
        description="Read .txt, .json, .jsonl and .html articles about one event and write one sourced briefing.",
    )
    brief.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (read recursively)")
    brief.add_argument("--focus", metavar="TEXT", help="the question the briefing answers (default: prompts/focus.txt)")
    brief.add_argument("--max-words", type=_word_budget, metavar="N", help="word budget of the briefing")
    brief.add_argument(
        "--format", choices=FORMATS, help="output format (default: from --out's extension, else markdown)"
    )
    brief.add_argument("--out", type=Path, metavar="FILE", help="write here (atomically) instead of stdout")
    brief.add_argument(
        "--model", metavar="PATH_OR_ID", help="summarization model folder or id, or 'none' (default: MOJAZ_MODEL)"
    )
    commands.add_parser("daily", help="the daily report of a day's stories (see `daily --help`)", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["daily"]:
        return _daily(args_list[1:])
    logging.basicConfig(level=logging.ERROR, format=f"{PROG}: %(levelname)s: %(message)s")
    try:
        args = build_parser().parse_args(args_list)
        return _brief(args)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except _UsageError as exc:
        return _fail(str(exc))
    except InputError as exc:
        return _fail(_describe(exc))
    except BrokenPipeError:  # `… | head`: the reader left; nothing to report
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return 0
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        return _fail("interrupted; nothing was written", 130)
    except Exception as exc:
        import jinja2

        if not isinstance(exc, jinja2.TemplateError):
            raise  # a bug: keep its traceback
        where = getattr(exc, "filename", None) or getattr(exc, "name", None) or "template"
        line = getattr(exc, "lineno", None)
        return _fail(f"template {where}{f' line {line}' if line else ''}: {exc.message}", EXIT_TEMPLATE)


def _fail(message: str, status: int = EXIT_INPUT) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return status


def _describe(error: InputError) -> str:
    if error.field is None:
        return error.detail
    return f"{_FLAGS.get(error.field, error.field)}: {error.detail}"


def _daily(argv: list[str]) -> int:
    try:
        from app.daily.cli import main as daily_main
    except ImportError as exc:
        return _fail(f"the daily command is not available ({exc})", 1)
    return daily_main(argv)


def _brief(args: argparse.Namespace) -> int:
    from app.article_files import load_articles
    from app.engine import build_briefing
    from app.render import render

    fmt = args.format or _SUFFIX_FORMATS.get(args.out.suffix.lower() if args.out else "", "markdown")
    articles = load_articles(args.paths)
    summarizer, status = _summarizer(args.model)
    briefing = build_briefing(
        articles, focus=args.focus, max_words=args.max_words, summarizer=summarizer, model_status=status
    )
    text = render(briefing, fmt)
    if args.out is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        write_atomic(args.out, text)
        print(
            f"{PROG}: wrote {args.out} ({fmt}, {briefing.mode}, {len(briefing.articles)} articles, "
            f"{briefing.word_count} words)",
            file=sys.stderr,
        )
    return 0


def _summarizer(model: str | None) -> tuple[ArticleSummarizer | None, ModelStatus]:
    """The model stage for --model (default: MOJAZ_MODEL); extractive with the reason when there is none."""
    try:
        from app.model import load_summarizer

        return load_summarizer(model)
    except ImportError as exc:
        return None, ModelStatus("extractive", model, f"the model stage cannot be imported ({exc})")
