#!/usr/bin/env python
"""Evaluations: EASC summaries (ROUGE) and the daily report's story purity (hand labels).

    python scripts/evaluate.py easc --data ../shared/data/easc-dev.jsonl --out var/easc-summaries.jsonl
    python scripts/evaluate.py stories [--feed ../shared/data/saudinewsnet-5k.jsonl] [--no-meaning] [--show-mixed]
    python scripts/evaluate.py checks REPORT.json --feed FEED.jsonl [--top 40] [--examples 3]

`easc` writes Mojaz's summaries as {"id", "summary"} lines and prints ROUGE-1/2/L F1 (averaged over each
article's five references, then over articles) for Mojaz, lead-k and sumy's LexRank, TextRank, LSA, Luhn.
`stories` groups every labelled day of the feed and prints, per day, the stories, the stories that mix two
labelled events, and the labelled same-event pairs still together (docs/eval/saudinewsnet-story-labels.jsonl).
`checks` counts, in a daily report's top stories, what the reader should never see (evaluation/checks.py):
citations lacking a figure, junk and fragment key points, repeated and cut summaries, number–noun errors and
English in the Markdown/HTML beside the JSON, with examples.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.atomic_files import write_atomic
from app.errors import InputError
from evaluation.easc import load_easc
from evaluation.harness import default_systems, evaluate, format_table

ROOT = Path(__file__).resolve().parents[1]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one readable line, not usage + message
        self.exit(2, f"error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    easc = commands.add_parser("easc", help="EASC single-document evaluation")
    easc.add_argument("--data", required=True, type=Path, help="easc-dev.jsonl")
    easc.add_argument("--out", required=True, type=Path, help="where Mojaz's summaries go (JSONL)")
    easc.add_argument("--limit", type=int, help="only the first N articles")
    stories = commands.add_parser("stories", help="daily story purity against hand labels")
    stories.add_argument("--feed", type=Path, default=ROOT.parent / "shared" / "data" / "saudinewsnet-5k.jsonl")
    stories.add_argument("--labels", type=Path, default=ROOT / "docs" / "eval" / "saudinewsnet-story-labels.jsonl")
    stories.add_argument("--no-meaning", action="store_true", help="group by words only (no embedding check)")
    stories.add_argument("--min-similarity", type=float, help="meaning check: opening cosine kept in one story")
    stories.add_argument("--show-mixed", action="store_true", help="print the headlines of every mixed story")
    checks = commands.add_parser("checks", help="what the reader sees: citations, key points, summaries, Arabic")
    checks.add_argument("report", type=Path, help="a daily report's JSON (its .md and .html beside it are read too)")
    checks.add_argument("--feed", required=True, type=Path, help="the feed the report was made from")
    checks.add_argument("--top", type=int, default=40, help="only the first N stories (default 40)")
    checks.add_argument("--examples", type=int, default=3, help="examples printed per kind")
    return parser


def _checks(args: argparse.Namespace) -> int:
    from app.daily.feed import read_feed
    from evaluation.checks import format_findings, run_checks

    if args.top < 1:
        print("error: --top must be a positive integer", file=sys.stderr)
        return 2
    if not args.report.is_file():
        print(f"error: report: no such file: {args.report}", file=sys.stderr)
        return 2
    try:
        feed = read_feed(args.feed)
        articles = {a.id: {"title": a.title, "text": a.text, "source": a.source} for a in feed.articles}
        findings = run_checks(args.report, articles, args.top)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, KeyError) as exc:
        print(f"error: report: not a daily report JSON ({exc})", file=sys.stderr)
        return 2
    print(format_findings(findings, args.examples))
    return 0


def _stories(args: argparse.Namespace) -> int:
    from app.daily.feed import read_feed
    from app.daily.stories import group_stories
    from evaluation.stories import format_scores, load_labels, score_feed, utc_day

    try:
        labels = load_labels(args.labels)
        feed = read_feed(args.feed)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    by_day: dict = {}
    for article in feed.articles:
        by_day.setdefault(utc_day(article), []).append(article)
    options: dict = {"meaning": not args.no_meaning}
    if args.min_similarity is not None:
        options["min_similarity"] = args.min_similarity
    scores = score_feed(lambda day: by_day.get(day, []), lambda arts: group_stories(arts, **options), labels)
    print(format_scores(scores))
    if args.show_mixed:
        for score in scores:
            for titles in score.mixed_titles:
                print(f"{score.day}: " + " || ".join(titles))
    return 0


def _write_summaries(path: Path, ids: list[str], summaries: dict[str, str]) -> None:
    lines = (json.dumps({"id": i, "summary": summaries[i]}, ensure_ascii=False) + "\n" for i in ids)
    write_atomic(path, "".join(lines))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "stories":
        return _stories(args)
    if args.command == "checks":
        return _checks(args)
    if args.limit is not None and args.limit < 1:
        print("error: --limit must be a positive integer", file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"error: --out: directory {args.out.parent} does not exist", file=sys.stderr)
        return 2
    try:
        articles = load_easc(args.data, args.limit)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    results = evaluate(articles, default_systems())
    print(f"EASC: {len(articles)} articles; word budget = mean reference length; F1 averaged over references")
    print(format_table(results))
    failed = [r for r in results if r.error]
    mojaz = next(r for r in results if r.name == "mojaz")
    if mojaz.error is None:
        _write_summaries(args.out, [a.id for a in articles], mojaz.summaries)
        if mojaz.over_budget:
            print(f"note: mojaz exceeded the budget on {mojaz.over_budget} articles (cut to budget)")
    for r in failed:
        print(f"error: {r.name}: {r.error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
