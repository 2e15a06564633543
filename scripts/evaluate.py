#!/usr/bin/env python
"""Evaluations: EASC and MultiLing summaries (ROUGE) and the daily report's story purity (hand labels).

    python scripts/evaluate.py easc --data ../shared/data/easc-dev.jsonl --out var/easc-summaries.jsonl
    python scripts/evaluate.py multiling --data ../shared/data/multiling2011-dev.jsonl [--out FILE]
    python scripts/evaluate.py stories [--feed ../shared/data/saudinewsnet-5k.jsonl] [--no-meaning] [--show-mixed]
    python scripts/evaluate.py checks REPORT.json --feed FEED.jsonl [--top 40] [--examples 3]
        [--sample-citations 60 --seed 1 [--others-only]]

`easc` writes Mojaz's summaries as {"id", "summary"} lines and prints ROUGE-1/2/L F1 (averaged over each
article's five references, then over articles) for Mojaz, lead-k and sumy's LexRank, TextRank, LSA, Luhn.
`multiling` prints, per topic and as the mean over topics, ROUGE-1/2/L F1 at 250 words (mean over the three
references) of Mojaz (headline + key points, default focus, --max-words 250), lead (first sentence of each
article in turn) and every 2011 peer in the file; --out writes every system's cut summary as JSONL.
`stories` groups every labelled day of the feed and prints, per day, the stories, the stories that mix two
labelled events, and the labelled same-event pairs still together (docs/eval/saudinewsnet-story-labels.jsonl).
`checks` counts, in a daily report's top stories, what the reader should never see (evaluation/checks.py):
citations lacking a figure, junk and fragment key points, repeated and cut summaries, number–noun errors and
English in the Markdown/HTML beside the JSON, with examples; `--sample-citations N --seed S` then prints a
seeded random sample of N citations (key point, cited outlet and article, evidence sentence) for a person to
judge (`--others-only`: only citations of another article than the one the point was taken from).
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
    multiling = commands.add_parser("multiling", help="MultiLing 2011 Arabic multi-document evaluation")
    multiling.add_argument("--data", required=True, type=Path, help="multiling2011-dev.jsonl")
    multiling.add_argument("--out", type=Path, help="write every system's summaries here (JSONL)")
    stories = commands.add_parser("stories", help="daily story purity against hand labels")
    stories.add_argument("--feed", type=Path, default=ROOT.parent / "shared" / "data" / "saudinewsnet-5k.jsonl")
    stories.add_argument("--labels", type=Path, default=ROOT / "docs" / "eval" / "saudinewsnet-story-labels.jsonl")
    stories.add_argument("--no-meaning", action="store_true", help="group by words only (no embedding check)")
    stories.add_argument("--min-similarity", type=float, help="meaning check: opening cosine kept in one story")
    stories.add_argument("--sure-word-similarity", type=float, help="word cosine that joins without embedding")
    stories.add_argument("--keep-opinion", action="store_true", help="group opinion columns like news")
    stories.add_argument("--first-labels", type=int, help="also score against the first N labelled stories")
    stories.add_argument("--opening-words", type=int, help="meaning check: words of the text after the headline")
    stories.add_argument("--cache-dir", type=Path, help="reuse opening embeddings across evaluation runs")
    stories.add_argument("--show-mixed", action="store_true", help="print the headlines of every mixed story")
    checks = commands.add_parser("checks", help="what the reader sees: citations, key points, summaries, Arabic")
    checks.add_argument("report", type=Path, help="a daily report's JSON (its .md and .html beside it are read too)")
    checks.add_argument("--feed", required=True, type=Path, help="the feed the report was made from")
    checks.add_argument("--top", type=int, default=40, help="only the first N stories (default 40)")
    checks.add_argument("--examples", type=int, default=3, help="examples printed per kind")
    checks.add_argument("--sample-citations", type=int, default=0, help="also print N random citations to read")
    checks.add_argument("--seed", type=int, default=1, help="seed of the citation sample (default 1)")
    checks.add_argument(
        "--others-only", action="store_true", help="sample only citations of another article than the point's own"
    )
    return parser


def _checks(args: argparse.Namespace) -> int:
    from app.daily.feed import read_feed
    from evaluation.checks import format_findings, format_samples, run_checks, sample_citations

    if args.top < 1:
        print("error: --top must be a positive integer", file=sys.stderr)
        return 2
    if args.sample_citations < 0:
        print("error: --sample-citations must not be negative", file=sys.stderr)
        return 2
    if not args.report.is_file():
        print(f"error: report: no such file: {args.report}", file=sys.stderr)
        return 2
    try:
        feed = read_feed(args.feed)
        articles = {a.id: {"title": a.title, "text": a.text, "source": a.source} for a in feed.articles}
        findings = run_checks(args.report, articles, args.top)
        samples = (
            sample_citations(args.report, articles, args.top, args.sample_citations, args.seed, args.others_only)
            if args.sample_citations
            else None
        )
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, KeyError) as exc:
        print(f"error: report: not a daily report JSON ({exc})", file=sys.stderr)
        return 2
    print(format_findings(findings, args.examples))
    if samples is not None:
        print(format_samples(*samples))
    return 0


def _stories(args: argparse.Namespace) -> int:
    from app.daily.feed import read_feed
    from app.daily.stories import group_stories
    from evaluation.stories import Labels, format_scores, load_labels, score_day, score_feed, utc_day

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
    if args.sure_word_similarity is not None:
        options["sure_word_similarity"] = args.sure_word_similarity
    if args.keep_opinion:
        options["set_aside_opinion"] = False
    if args.opening_words is not None:
        options["opening_words"] = args.opening_words
    if args.cache_dir is not None:
        from app.daily.cache import DailyCache

        options["cache"] = DailyCache(args.cache_dir)
    groupings: dict = {}

    def group(articles: list) -> object:
        grouping = group_stories(articles, **options)
        groupings[articles[0].published_at.date() if articles else None] = grouping
        return grouping

    scores = score_feed(lambda day: by_day.get(day, []), group, labels)
    print(format_scores(scores))
    if args.first_labels:  # e.g. 442: the first labelling round alone (its 606 same-event pairs)
        first = Labels(labels.stories[: args.first_labels])
        again = [score_day(s.day, grouping, first) for s, grouping in zip(scores, groupings.values(), strict=True)]
        print(format_scores(again).splitlines()[-1].replace("| all", f"| first {args.first_labels} labels, all"))
    if args.show_mixed:
        for score in scores:
            for titles in score.mixed_titles:
                print(f"{score.day}: " + " || ".join(titles))
    return 0


def _multiling(args: argparse.Namespace) -> int:
    from evaluation.multiling import evaluate as evaluate_topics
    from evaluation.multiling import format_report, load_topics

    if args.out is not None and not args.out.parent.is_dir():
        print(f"error: --out: directory {args.out.parent} does not exist", file=sys.stderr)
        return 2
    try:
        topics = load_topics(args.data)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = evaluate_topics(topics)
    print(f"MultiLing 2011: {len(topics)} topics; ROUGE F1 at 250 words, mean over the references")
    print(format_report(result))
    if args.out is not None:
        rows = (
            json.dumps({"topic": r.topic, "system": r.system, "summary": r.summary}, ensure_ascii=False) + "\n"
            for r in result.rows
        )
        write_atomic(args.out, "".join(rows))
    return 0


def _write_summaries(path: Path, ids: list[str], summaries: dict[str, str]) -> None:
    lines = (json.dumps({"id": i, "summary": summaries[i]}, ensure_ascii=False) + "\n" for i in ids)
    write_atomic(path, "".join(lines))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "stories":
        return _stories(args)
    if args.command == "multiling":
        return _multiling(args)
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
