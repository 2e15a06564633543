"""Story purity: how often the daily grouping puts two events in one story, against hand labels.

The labels (docs/eval/saudinewsnet-story-labels.jsonl) are article ids only: for every story that a grouping
formed on the 18 days of SaudiNewsNet, its articles split into groups that report one event each. Every two
articles of a labelled story are a labelled pair (same event or not); a grouping is scored on the pairs it puts
in one story, and a pair that no labelled story holds is counted as "unlabelled" and not scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from itertools import combinations
from pathlib import Path

from app.articles import Article
from app.daily.stories import Grouping
from app.errors import InputError
from app.jsonl import Row, read_rows


@dataclass(frozen=True)
class LabelledStory:
    day: date
    groups: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass
class Labels:
    stories: list[LabelledStory]
    same: dict[frozenset[str], bool] = field(default_factory=dict)  # labelled pair -> same event?
    disagreements: int = 0  # pairs that two labelled stories judged differently (the first judgement is kept)

    def __post_init__(self) -> None:
        for story in self.stories:
            event = {article_id: g for g, group in enumerate(story.groups) for article_id in group}
            for a, b in combinations(sorted(event), 2):
                pair, verdict = frozenset((a, b)), event[a] == event[b]
                if self.same.setdefault(pair, verdict) != verdict:
                    self.disagreements += 1

    @property
    def days(self) -> list[date]:
        return sorted({s.day for s in self.stories})

    def same_event_pairs(self, day: date | None = None) -> set[frozenset[str]]:
        pairs = set()
        for story in self.stories:
            if day is None or story.day == day:
                pairs.update(frozenset(p) for g in story.groups for p in combinations(g, 2))
        return pairs


def load_labels(path: Path) -> Labels:
    stories: list[LabelledStory] = []
    if not path.is_file():
        raise InputError(f"cannot read labels {path}: no such file", "--labels")
    try:
        for row in read_rows(path, label=path.name):
            stories.append(_label_row(row))
    except InputError as exc:
        if exc.field == "--labels":
            raise
        raise InputError(f"{exc.field}: not a label row ({exc.detail})", "--labels") from exc
    return Labels(stories)


def _label_row(row: Row) -> LabelledStory:
    try:
        groups = tuple(tuple(str(i) for i in g) for g in row.value["groups"])
        return LabelledStory(date.fromisoformat(row.value["day"]), groups, row.value.get("note", ""))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{row.where}: not a label row ({exc})", "--labels") from exc


@dataclass
class DayScore:
    day: date
    stories: int = 0
    multi_outlet: int = 0
    mixed: int = 0  # stories holding two articles that the labels put in different events
    same_kept: int = 0  # labelled same-event pairs still in one story
    same_total: int = 0
    unlabelled_pairs: int = 0
    mixed_titles: list[list[str]] = field(default_factory=list)


def score_day(day: date, grouping: Grouping, labels: Labels) -> DayScore:
    score = DayScore(day=day, stories=len(grouping.stories))
    story_of: dict[str, int] = {}
    for k, story in enumerate(grouping.stories):
        score.multi_outlet += story.outlet_count >= 2
        verdicts = [labels.same.get(frozenset((a.id, b.id))) for a, b in combinations(story.articles, 2)]
        score.unlabelled_pairs += sum(v is None for v in verdicts)
        if False in verdicts:
            score.mixed += 1
            score.mixed_titles.append([a.title for a in story.articles])
        for article in story.articles:
            story_of[article.id] = k
    for pair in labels.same_event_pairs(day):
        a, b = tuple(pair)
        score.same_total += 1
        score.same_kept += a in story_of and story_of.get(a) == story_of.get(b)
    return score


def score_feed(
    articles_of_day: Callable[[date], Sequence[Article]],
    group: Callable[[Sequence[Article]], Grouping],
    labels: Labels,
    days: Iterable[date] | None = None,
) -> list[DayScore]:
    return [score_day(day, group(articles_of_day(day)), labels) for day in (days or labels.days)]


def _row(name: str, scores: Sequence[DayScore]) -> str:
    kept = f"{sum(s.same_kept for s in scores)}/{sum(s.same_total for s in scores)}"
    counts = [sum(s.stories for s in scores), sum(s.multi_outlet for s in scores), sum(s.mixed for s in scores)]
    return f"| {name} | {' | '.join(map(str, counts))} | {kept} | {sum(s.unlabelled_pairs for s in scores)} |"


def format_scores(scores: Sequence[DayScore]) -> str:
    lines = [
        "| day | stories | multi-outlet | mixed | same-event pairs kept | unlabelled pairs |",
        "|---|---|---|---|---|---|",
    ]
    lines.extend(_row(str(s.day), [s]) for s in scores)
    lines.append(_row(f"all {len(scores)} days", scores))
    return "\n".join(lines)


def utc_day(article: Article) -> date | None:
    return article.published_at.astimezone(UTC).date() if article.published_at else None
