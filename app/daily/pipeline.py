"""The whole daily run: read the input, keep one day, group stories, brief each, write the report."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from app import prompts
from app.articles import Article
from app.atomic_files import write_files_atomic
from app.briefing import Briefing
from app.daily.cache import DEFAULT_MAX_AGE_DAYS, DEFAULT_MAX_MB, DailyCache, Eviction, rules_fingerprint, story_key
from app.daily.feed import no_articles_message, read_feed, select_day
from app.daily.report import (
    FORMATS,
    ArticleRef,
    Counts,
    DailyReport,
    Display,
    SectionNews,
    StoryLine,
    StoryReport,
    render,
)
from app.daily.runner import BriefingRunner, StoryOutcome
from app.daily.sections import OPINION_KEY, section_of, section_rules
from app.daily.stories import DEFAULT_THRESHOLD, Story, group_stories
from app.errors import InputError

DEFAULT_TOP = 20  # full briefings: what a reader gets through before the morning meeting
DEFAULT_STORY_LINES = 40  # further multi-outlet stories, one line each
DEFAULT_PER_SECTION = 15  # other-news lines per section in Markdown/HTML (the JSON keeps all)
DEFAULT_ARTICLES_PER_STORY = 6  # article lines under a briefed story (a 40-article event lists its first 6)
MAX_MARKDOWN_BYTES = 200_000  # a reader's size for any day: the lists shrink until the Markdown fits
CACHE_DIR = ".cache"


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
        if counts.briefed_stories < counts.stories:
            line += f" ({counts.briefed_stories} briefed)"
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


def _story_report(rank: int, story: Story, outcome: StoryOutcome) -> StoryReport:
    return StoryReport(
        rank=rank,
        anchor=f"story-{rank}",
        outlets=story.sources,
        keywords=story.keywords,
        articles=[ArticleRef.of(a) for a in story.articles],
        briefing=outcome.briefing,
        error=outcome.error,
    )


def _story_line(rank: int, story: Story) -> StoryLine:
    first = story.articles[0]
    return StoryLine(
        rank=rank,
        title=first.title or "—",
        outlets=story.sources,
        url=first.url,
        articles=len(story.articles),
        article_ids=[a.id for a in story.articles],
    )


def _sections(singles: list[Article], opinion: list[Article]) -> list[SectionNews]:
    rules = section_rules()
    by_key: dict[str, list[ArticleRef]] = {key: [] for key in rules.order}
    for article in singles:
        by_key[section_of(article, rules)].append(ArticleRef.of(article))
    by_key[OPINION_KEY] = [ArticleRef.of(a) for a in opinion]
    return [
        SectionNews(key=key, title=rules.title(key), anchor=f"section-{key}", articles=refs)
        for key, refs in by_key.items()
        if refs
    ]


def _briefings(
    stories: list[Story], runner: BriefingRunner, cache: DailyCache | None
) -> tuple[list[StoryOutcome], int]:
    """One outcome per story; a story whose articles and settings were briefed before is read from the cache."""
    tag = f"{getattr(runner, 'cache_tag', runner.mode)}|{rules_fingerprint(prompts.prompts_dir())}"
    keys = [story_key(story.articles, tag) for story in stories]
    known = cache.briefings(keys) if cache is not None else {}
    outcomes: dict[int, StoryOutcome] = {}
    for k, key in enumerate(keys):
        if key in known:
            with contextlib.suppress(ValueError):  # written by another version: brief again
                outcomes[k] = StoryOutcome(Briefing.model_validate_json(known[key]))
    todo = [k for k in range(len(stories)) if k not in outcomes]
    step, close = _progress(len(todo))
    try:
        fresh = runner.run([stories[k].articles for k in todo], step)
    finally:
        close()
    outcomes.update(zip(todo, fresh, strict=True))
    if cache is not None:
        cache.put_briefings(
            (keys[k], outcomes[k].briefing.model_dump_json()) for k in todo if outcomes[k].briefing is not None
        )
    return [outcomes[k] for k in range(len(stories))], len(stories) - len(todo)


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
    top: int = DEFAULT_TOP,
    story_lines: int = DEFAULT_STORY_LINES,
    per_section: int = DEFAULT_PER_SECTION,
    articles_per_story: int = DEFAULT_ARTICLES_PER_STORY,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    cache_days: float = DEFAULT_MAX_AGE_DAYS,
    cache_max_mb: float = DEFAULT_MAX_MB,
) -> DailyResult:
    """Raises InputError when the input is missing or holds no article for `day`; nothing is written then.

    `cache_dir` (default OUT/.cache) keeps opening embeddings and briefings for the next run of the day; entries
    no run used for `cache_days` are dropped at the end of the run, then the least recently used ones beyond
    `cache_max_mb`."""
    started = time.perf_counter()
    timings: dict[str, float] = {}

    mark = time.perf_counter()
    feed = read_feed(source)
    selected = select_day(feed.articles, day, zone)
    timings["read"] = time.perf_counter() - mark
    if not selected.articles:
        raise InputError(no_articles_message(selected, source), "--date")

    cache = (
        DailyCache(cache_dir or out_dir / CACHE_DIR, max_age_days=cache_days, max_bytes=int(cache_max_mb * 2**20))
        if use_cache and write
        else None
    )
    mark = time.perf_counter()
    grouping = group_stories(selected.articles, threshold=threshold, meaning=meaning, cache=cache)
    timings["group"] = time.perf_counter() - mark
    timings.update({f"group.{k}": v for k, v in grouping.timings.items()})

    mark = time.perf_counter()
    briefed = grouping.stories[:top]
    outcomes, reused = _briefings(briefed, runner, cache)
    timings["briefings"] = time.perf_counter() - mark
    eviction = cache.evict() if cache is not None else Eviction()  # this run's lookups and writes are done

    mark = time.perf_counter()
    stories = [_story_report(rank, s, o) for rank, (s, o) in enumerate(zip(briefed, outcomes, strict=True), start=1)]
    lines: list[StoryLine] = []
    other = list(grouping.singles)
    for rank, story in enumerate(grouping.stories[top:], start=top + 1):
        if story.outlet_count >= 2:
            lines.append(_story_line(rank, story))
        else:  # one outlet's items on one topic are that outlet's news, not a story of the day
            other.extend(story.articles)
    other.sort(key=lambda a: (a.published_at or datetime.max.replace(tzinfo=UTC), a.id))
    sections = _sections(other, grouping.opinion)
    timings["sections"] = time.perf_counter() - mark

    warnings = list(feed.problems)
    if feed.skipped > len(feed.problems):
        warnings.append(f"{feed.skipped} input rows skipped in all")
    if selected.undated:
        warnings.append(f"{selected.undated} articles have no date and belong to no day")
    warnings.extend(grouping.warnings)
    if cache is not None and not cache.enabled:
        warnings.append(f"cache {cache.path} could not be used: everything was computed afresh")
    report = DailyReport(
        date=day,
        timezone=_zone_name(zone),
        generated_at=datetime.now(UTC),
        source=str(source),
        mode=runner.mode,
        stories=stories,
        story_lines=lines,
        sections=sections,
        counts=Counts(
            articles_read=selected.read,
            articles_undated=selected.undated,
            articles_on_day=len(selected.articles),
            stories=len(grouping.stories),
            other_news=sum(len(s.articles) for s in sections),
            briefed_stories=len(stories),
            opinion=len(grouping.opinion),
            merged_fragments=grouping.merged_fragments,
            failed_stories=sum(1 for s in stories if s.briefing is None),
            input_problems=feed.skipped,
        ),
        display=Display(
            top=top, story_lines=story_lines, per_section=per_section, articles_per_story=articles_per_story
        ),
        timings={},
        cache=_cache_counts(cache, grouping.embedded, reused, eviction),
        warnings=warnings,
    )

    mark = time.perf_counter()
    timings["total"] = time.perf_counter() - started  # before rendering, so the files can carry it
    report.timings = {k: round(v, 3) for k, v in timings.items()}
    documents = _documents(report)
    if write:
        out_dir.mkdir(parents=True, exist_ok=True)
        # All three formats replaced together, or none: a reader never sees a new .md beside an old .json.
        files = write_files_atomic({out_dir / f"{day.isoformat()}.{fmt}": text for fmt, text in documents.items()})
    else:
        files = []
    if cache is not None:
        cache.close()
    report.timings["write"] = round(time.perf_counter() - mark, 3)
    return DailyResult(report=report, files=files, seconds=time.perf_counter() - started)


def _documents(report: DailyReport) -> dict[str, str]:
    """Every format; on a day too big for the Markdown limit the shown lists halve (the JSON keeps all)."""
    documents = {fmt: render(report, fmt) for fmt in FORMATS}
    display = report.display
    while len(documents["md"].encode("utf-8")) > MAX_MARKDOWN_BYTES and (
        display.story_lines > 5 or display.per_section > 3 or display.articles_per_story > 2
    ):
        display.story_lines = max(5, display.story_lines // 2)
        display.per_section = max(3, display.per_section // 2)
        display.articles_per_story = max(2, display.articles_per_story // 2)
        documents = {fmt: render(report, fmt) for fmt in FORMATS}
    return documents


def _cache_counts(
    cache: DailyCache | None, needed_openings: int, reused_briefings: int, eviction: Eviction
) -> dict[str, int]:
    counts = {"openings_needed": needed_openings, "briefings_reused": reused_briefings}
    if cache is not None:
        counts["openings_cached"] = cache.hits["openings"]
        counts["openings_embedded"] = cache.misses["openings"]
        counts["entries_expired"] = eviction.expired
        counts["entries_over_size"] = eviction.over_size
        counts["bytes_kept"] = eviction.bytes_kept
    return counts
