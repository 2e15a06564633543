"""MultiLing 2011 pilot, Arabic multi-document task: Mojaz, lead and the 2011 systems, scored alike.

Each topic (multiling2011-dev.jsonl: {"id", "articles": [{"id", "title", "text"}], "references", "peers"})
is ten news articles on one event, three human summaries and the 2011 systems' summaries (ID1-ID10). Every
summary is cut to 250 words (Arabic-normalized words, as ROUGE counts them) and scored by ROUGE-1/2/L F1,
mean over the three references; the table's mean row is the macro mean over topics.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.articles import Article
from app.errors import InputError
from app.jsonl import read_rows
from evaluation.baselines import article_sentences, truncate_to_budget
from evaluation.easc import word_count
from evaluation.rouge import RougeScores, mean_scores, score_summary

BUDGET = 250
LEAD_MIN_WORDS = 6  # the lead: fragments under six words (bylines, date lines) are skipped


@dataclass(frozen=True)
class Topic:
    id: str
    articles: tuple[Article, ...]
    references: tuple[str, ...]
    peers: dict[str, str] = field(default_factory=dict)


def _article(obj: object, where: str, index: int) -> Article:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise InputError(f"{where}: article {index} needs a 'text' string", "--data")
    return Article(id=str(obj.get("id") or f"{index}"), title=str(obj.get("title") or ""), text=obj["text"])


def _topic(obj: object, where: str) -> Topic:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object", "--data")
    articles, refs, peers = obj.get("articles"), obj.get("references"), obj.get("peers") or {}
    if not isinstance(articles, list) or not articles:
        raise InputError(f"{where}: 'articles' must be a non-empty list", "--data")
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) and r.strip() for r in refs):
        raise InputError(f"{where}: 'references' must be a non-empty list of strings", "--data")
    if not isinstance(peers, dict) or not all(isinstance(v, str) for v in peers.values()):
        raise InputError(f"{where}: 'peers' must map system ids to summaries", "--data")
    return Topic(
        id=str(obj.get("id") or where),
        articles=tuple(_article(a, where, i) for i, a in enumerate(articles)),
        references=tuple(refs),
        peers={str(k): v for k, v in peers.items()},
    )


def load_topics(path: str | Path) -> list[Topic]:
    """Read the topics. Raises InputError (field "--data") naming the file and line for anything unusable."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}", "--data")
    try:
        topics = [_topic(row.value, row.where) for row in read_rows(path, label=path.name)]
    except InputError as exc:
        if exc.field == "--data":
            raise
        raise InputError(str(exc), "--data") from exc
    if not topics:
        raise InputError(f"{path}: no topics", "--data")
    return topics


def lead_summary(topic: Topic, budget: int = BUDGET) -> str:
    """The first sentence of each article in turn, then the second of each, ... until the budget."""
    per_article = [
        [s for s in article_sentences(a.text, a.title) if word_count(s) >= LEAD_MIN_WORDS] for a in topic.articles
    ]
    chosen: list[str] = []
    used = 0
    depth = 0
    while used < budget and any(depth < len(s) for s in per_article):
        for sentences in per_article:
            if depth < len(sentences) and used < budget:
                chosen.append(sentences[depth])
                used += word_count(sentences[depth])
        depth += 1
    return truncate_to_budget(" ".join(chosen), budget)


def mojaz_summary(topic: Topic, budget: int = BUDGET) -> str:
    """Headline + key points of the default briefing at `--max-words budget`, as a reader sees them."""
    from app.engine import build_briefing

    briefing = build_briefing(list(topic.articles), max_words=budget)
    return "\n".join([briefing.headline.text, *(p.text for p in briefing.key_points)])


Summarize = Callable[[Topic], str]


@dataclass
class TopicRow:
    topic: str
    system: str
    summary: str
    scores: RougeScores


@dataclass
class Evaluation:
    rows: list[TopicRow]
    seconds: dict[str, float]

    def systems(self) -> list[str]:
        return list(dict.fromkeys(r.system for r in self.rows))

    def topics(self) -> list[str]:
        return list(dict.fromkeys(r.topic for r in self.rows))

    def mean(self, system: str) -> RougeScores:
        return mean_scores(r.scores for r in self.rows if r.system == system)


def _peer_key(name: str) -> tuple[int, str]:
    digits = "".join(c for c in name if c.isdigit())
    return (int(digits) if digits else 0, name)


def evaluate(topics: Sequence[Topic], mojaz: Summarize = mojaz_summary, budget: int = BUDGET) -> Evaluation:
    rows: list[TopicRow] = []
    seconds = {"mojaz": 0.0, "lead": 0.0}
    for topic in topics:
        systems: list[tuple[str, Callable[[], str]]] = [
            ("mojaz", lambda t=topic: mojaz(t)),
            ("lead", lambda t=topic: lead_summary(t, budget)),
        ]
        systems += [(name, lambda s=topic.peers[name]: s) for name in sorted(topic.peers, key=_peer_key)]
        for name, make in systems:
            started = time.perf_counter()
            summary = truncate_to_budget(make(), budget)
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
            rows.append(TopicRow(topic.id, name, summary, score_summary(summary, topic.references)))
    return Evaluation(rows, seconds)


def _table(header: str, entries: list[tuple[str, RougeScores]]) -> list[str]:
    lines = [f"| {header} | R1 | R2 | RL |", "|---|---|---|---|"]
    for name, s in entries:
        lines.append(f"| {name} | {s.rouge1:.3f} | {s.rouge2:.3f} | {s.rougeL:.3f} |")
    return lines


def format_report(evaluation: Evaluation) -> str:
    """One Markdown table per topic, then the mean over topics."""
    out: list[str] = []
    for topic in evaluation.topics():
        entries = [(r.system, r.scores) for r in evaluation.rows if r.topic == topic]
        out += [f"### {topic}", "", *_table("system", entries), ""]
    means = [(name, evaluation.mean(name)) for name in evaluation.systems()]
    out += [f"### mean over {len(evaluation.topics())} topics", "", *_table("system", means)]
    return "\n".join(out)
