"""The whole daily run: read the input, keep one day, group stories, brief each, write the report."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from app.atomic_files import write_files_atomic
from app.daily.feed import no_articles_message, read_feed, select_day
from app.daily.report import FORMATS, ArticleRef, Counts, DailyReport, StoryReport, render
from app.daily.runner import BriefingRunner
from app.daily.stories import DEFAULT_THRESHOLD, group_stories
from app.errors import InputError


@dataclass
class DailyResult:
    report: DailyReport
    files: list[Path]
    seconds: float

    def summary_line(self) -> str:
        counts = self.report.counts
        line = (
            f"daily {self.report.date.isoformat()}: {counts.articles_read} articles read, "
            f"{counts.articles_on_day} on the day, {counts.stories} stories, {counts.other_news} other news"
        )
        if counts.failed_stories:
            line += f", {counts.failed_stories} stories without a briefing"
        where = self.files[0].with_suffix(".{" + ",".join(FORMATS) + "}") if self.files else "nothing written"
        return f"{line}, {self.seconds:.1f} s -> {where}"


def _zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or datetime.now(zone).tzname() or zone)


def _progress(total: int) -> tuple[Callable[[], None], Callable[[], None]]:
    """A tqdm bar on a terminal; nothing at all under cron (stderr is not a TTY)."""
    if total == 0 or not sys.stderr.isatty():
        return (lambda: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=total, unit="story", desc="briefings", file=sys.stderr, leave=False)
    return (lambda: bar.update(1)), bar.close


def run_daily(
    source: Path,
    day: date,
    zone: tzinfo,
    out_dir: Path,
    runner: BriefingRunner,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    meaning: bool = True,
    write: bool = True,
) -> DailyResult:
    """Raises InputError when the input is missing or holds no article for `day`; nothing is written then."""
    started = time.perf_counter()
    timings: dict[str, float] = {}

    mark = time.perf_counter()
    feed = read_feed(source)
    selected = select_day(feed.articles, day, zone)
    timings["read"] = time.perf_counter() - mark
    if not selected.articles:
        raise InputError(no_articles_message(selected, source), "--date")

    mark = time.perf_counter()
    grouping = group_stories(selected.articles, threshold=threshold, meaning=meaning)
    timings["group"] = time.perf_counter() - mark

    mark = time.perf_counter()
    step, close = _progress(len(grouping.stories))
    try:
        outcomes = runner.run([story.articles for story in grouping.stories], step)
    finally:
        close()
    timings["briefings"] = time.perf_counter() - mark

    stories = [
        StoryReport(
            rank=rank,
            anchor=f"story-{rank}",
            outlets=story.sources,
            keywords=story.keywords,
            articles=[ArticleRef.of(a) for a in story.articles],
            briefing=outcome.briefing,
            error=outcome.error,
        )
        for rank, (story, outcome) in enumerate(zip(grouping.stories, outcomes, strict=True), start=1)
    ]
    warnings = list(feed.problems)
    if feed.skipped > len(feed.problems):
        warnings.append(f"{feed.skipped} input rows skipped in all")
    if selected.undated:
        warnings.append(f"{selected.undated} articles have no date and belong to no day")
    warnings.extend(grouping.warnings)
    report = DailyReport(
        date=day,
        timezone=_zone_name(zone),
        generated_at=datetime.now(UTC),
        source=str(source),
        mode=runner.mode,
        stories=stories,
        other_news=[ArticleRef.of(a) for a in grouping.singles],
        counts=Counts(
            articles_read=selected.read,
            articles_undated=selected.undated,
            articles_on_day=len(selected.articles),
            stories=len(stories),
            other_news=len(grouping.singles),
            failed_stories=sum(1 for s in stories if s.briefing is None),
            input_problems=feed.skipped,
        ),
        timings={},
        warnings=warnings,
    )

    mark = time.perf_counter()
    timings["total"] = time.perf_counter() - started  # before rendering, so the files can carry it
    report.timings = {k: round(v, 3) for k, v in timings.items()}
    documents = {fmt: render(report, fmt) for fmt in FORMATS}
    if write:
        out_dir.mkdir(parents=True, exist_ok=True)
        # All three formats replaced together, or none: a reader never sees a new .md beside an old .json.
        files = write_files_atomic({out_dir / f"{day.isoformat()}.{fmt}": text for fmt, text in documents.items()})
    else:
        files = []
    report.timings["write"] = round(time.perf_counter() - mark, 3)
    return DailyResult(report=report, files=files, seconds=time.perf_counter() - started)
