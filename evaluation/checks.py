"""What the reader sees, checked mechanically on a daily report: the counts behind issue 11.

Each check is independent of the code it checks (its own patterns, the raw feed text), so a rule that the
engine misses still shows here:

- citation_lacks_figure: a key point (or headline) cites an article whose raw text lacks one of the point's
  figures (years 1900–2099 aside).
- junk: a key point that announces text (ends in ':', «فيما يلي نصه»), opens with an agency dateline, holds a
  link, an e-mail or a phone number, is a Quran verse or a ceremonial formula.
- fragment: a key point cut at «؛» (the article has «؛» right before it, or it ends in one), ending in «،» or «:»
  (a line of a list, a paragraph cut at a comma), opening with a word that needs the previous sentence
  («وأضاف أن»، «كما أشار»، «تلك»، «حيث»، «ثم»), or shorter than six words.
- summary_repeats: an article summary whose words are (nearly) all in a key point or another summary of its
  story; summary_cut: a summary ending in «…» or "..."; summary_fragment: a summary that is a piece of a
  sentence (ends in «،» or «:» or on a word that needs more, «…مع.»، opens with «ثم»، a verse in braces);
  summary_adds_nothing: an article whose summary says it adds nothing (syndicated copies; read the examples).
- number_noun: a count and noun that disagree in the Markdown or HTML («2 مصادر»، «7 قصة»، «11 مقالات»).
- english: Latin words in the Markdown or HTML text outside links and article text.

`sample_citations` draws a seeded random sample of citations (key point, cited outlet and article, the
evidence sentence the briefing gives for it) for a person to read and judge: whether a citation is right
is a matter of meaning, which no pattern here decides.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.text.normalize import normalize, stems

KINDS = (
    "citation_lacks_figure",
    "junk",
    "fragment",
    "summary_repeats",
    "summary_cut",
    "summary_fragment",
    "summary_adds_nothing",
    "number_noun",
    "english",
)

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")  # display controls, not content
_NUMBER = re.compile(r"\d+(?:[.,٫ر]\d+)*")
_JUNK = [
    re.compile(p)
    for p in (
        r"[:：]\s*[\"»”']?\s*$",
        r"(فيما|وفيما) يلي (نصه|نصها|نص)|جاء نصه",
        r"https?://|www\.",
        r"[\w.+-]+@[\w-]+\.\w+",
        r"(?<![\d.,])\d{7,}(?![\d.,])|\d{3,4}[ -]\d{3,4}[ -]\d{3,5}",
        r"^\s*\(?(واس|رويترز|ا ف ب|د ب ا|قنا|وام|كونا)\)?\s*[-–—]\s*\S+\s*[:：]",
        r"^\s*\S+(\s\S+)?\s*[-–—(]\s*(واس|رويترز|ا ف ب|د ب ا|قنا|وام|كونا)\s*\)?\s*[:：]",
        r"\b(قال|قوله) (الله )?(تعالي|سبحانه|عز وجل)|[﴿﴾]|بسم الله الرحمن الرحيم|صدق الله العظيم",
        r"(تلاوه|بتلاوه) (ايات|اي) |انصت الجميع|(استهل|بدا)ت? الحفل",
    )
]
# A line of a list or a paragraph cut at a comma ends in «،»; these openers continue the sentence before.
_CONTINUATION = re.compile(r"(?:حيث|ثم|اذ|داعيا|مشيرا|مؤكدا|موضحا|مضيفا)\s")
_DANGLING = re.compile(
    r"^(و|ف)?(كما )?(اضاف|اشار|تابع|اوضح|اردف|لفت)(ت)?[ ،,]+(ان|انه|انها|الي|بان|قايلا)\b"
    r"|^(و|ف)?(هذا|هذه|ذلك|تلك)\s(?!(العام|الاسبوع|الشهر|اليوم)\b)"
)
_SUMMARY_FRAGMENT = re.compile(
    r"[،,:؛;\-–—(]\s*$"
    r"|\s(مع|بين|عن|في|علي|من|الي|ان|لدي|حول|الذي|التي|و)[.!؟]?\s*$"
    r"|^(ثم|او|بل|ففي|فقد|فان) "
    r"|[{}﴿﴾]"
)
# Count–noun pairs that disagree: 1–2 with a plural, 3–10 with the singular accusative, 11–99 with a plural.
_NUMBER_NOUN = [
    re.compile(p)
    for p in (
        r"(?<![\d.,])[12]\s+(مصادر|مقالات|قصص|قصة|أخبار|خبرًا|مقالًا|مصدرًا|نقاط|كلمات)(?=[\s،.)]|$)",
        r"(?<![\d.,])([3-9]|10)\s+(مقالًا|قصة|خبرًا|مصدرًا|نقطة|كلمة|مقال|مصدر|خبر)(?=[\s،.)]|$)",
        r"(?<![\d.,])(1[1-9]|[2-9]\d)\s+(مقالات|مصادر|قصص|أخبار|نقاط|كلمات)(?=[\s،.)]|$)",
    )
]
_LATIN = re.compile(r"[A-Za-z]{2,}")
_URL = re.compile(r"https?://\S+|<https?://[^>]+>|\]\((?:https?://|#)[^)]+\)|<a id=\"[^\"]*\"></a>")
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Findings:
    checked: dict[str, int] = field(default_factory=dict)
    found: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def add(self, kind: str, example: str) -> None:
        self.found[kind].append(example)

    def count(self, what: str) -> None:
        self.checked[what] = self.checked.get(what, 0) + 1


def figures(text: str) -> set[str]:
    found = set()
    for raw in _NUMBER.findall(_INVISIBLE.sub("", text).translate(_DIGITS)):
        value = raw.replace("٫", ".").replace("ر", ".")
        if re.fullmatch(r"\d{1,3}(,\d{3})+", value):
            value = value.replace(",", "")
        value = value.replace(",", ".")
        if re.fullmatch(r"(19|20)\d\d", value):
            continue
        found.add(value)
    return found


def _containment(small: list[str], big: set[str]) -> float:
    items = set(small)
    return len(items & big) / len(items) if items else 0.0


def _cut_at_semicolon(point: str, article_text: str) -> bool:
    head = " ".join(point.split()[:4])
    at = article_text.find(head)
    return at > 0 and article_text[:at].rstrip().endswith("؛")


def check_story(briefing: dict[str, Any], feed: dict[str, dict[str, Any]], findings: Findings) -> None:
    def text_of(article_id: str) -> str:
        article = feed.get(article_id) or {}
        return f"{article.get('title', '')}\n{article.get('text', '')}"

    def outlet(article_id: str) -> str:
        return str((feed.get(article_id) or {}).get("source") or article_id)

    statements = [(briefing["headline"]["text"], briefing["headline"]["sources"])]
    statements += [(p["text"], p["sources"]) for p in briefing["key_points"]]
    for text, sources in statements:
        needed = figures(text)
        for source in sources:
            findings.count("citations")
            missing = needed - figures(text_of(source))
            if missing:
                findings.add("citation_lacks_figure", f"{text[:90]} ← {outlet(source)} lacks {sorted(missing)}")
    point_stems = []
    for point in briefing["key_points"]:
        text = point["text"]
        folded = normalize(text).strip()
        findings.count("key_points")
        if any(p.search(folded) for p in _JUNK):
            findings.add("junk", text[:120])
        elif (
            _DANGLING.match(folded.strip("\"'«» "))
            or folded.rstrip().endswith(("؛", "،", ",", ":", ";"))
            or _CONTINUATION.match(folded.strip("\"'«» "))
            or len(text.split()) < 6
            or _cut_at_semicolon(text, text_of(point["article_id"]))
        ):
            findings.add("fragment", text[:120])
        point_stems.append(set(stems(text)))
    summaries = [(a["id"], a["summary"]) for a in briefing["articles"]]
    adds = {a["id"]: a.get("summary_adds", True) for a in briefing["articles"]}
    for index, (article_id, summary) in enumerate(summaries):
        findings.count("summaries")
        if not adds[article_id]:  # says it adds nothing (agency copy): shown as such, not as a repeat
            findings.add(
                "summary_adds_nothing", f"{outlet(article_id)}: {(feed.get(article_id) or {}).get('title', '')[:80]}"
            )
            continue
        if summary.rstrip().endswith(("…", "...")):
            findings.add("summary_cut", summary[-80:])
        elif _SUMMARY_FRAGMENT.search(normalize(summary).strip()):
            findings.add("summary_fragment", f"{outlet(article_id)}: {summary[:120]}")
        own = stems(summary)
        others = [set(stems(s)) for j, (_, s) in enumerate(summaries) if j != index]
        if any(_containment(own, other) >= 0.8 for other in point_stems + others):
            findings.add("summary_repeats", f"{outlet(article_id)}: {summary[:100]}")


def _reader_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<style.*?</style>|<title>.*?</title>", " ", text, flags=re.S)
        text = html.unescape(_TAG.sub(" ", text))
    return text


def check_rendered(paths: Iterable[Path], article_texts: Iterable[str], findings: Findings) -> None:
    """Number–noun agreement and English words in what the reader sees (Markdown and HTML). What an article
    itself says (a count it wrote, a Latin name it used) is quoted, not the interface, and is not counted."""
    article_texts = list(article_texts)
    article_words = {w.lower() for t in article_texts for w in _LATIN.findall(t)}
    quoted = "\n".join(article_texts)
    for path in paths:
        text = _reader_text(path)
        findings.count("rendered_files")
        for pattern in _NUMBER_NOUN:
            for match in pattern.finditer(text):
                pair = " ".join(match.group(0).split())
                if pair not in quoted:
                    findings.add("number_noun", f"{path.suffix}: «{pair}»")
        for word in _LATIN.findall(_URL.sub(" ", text)):
            if word.lower() not in article_words:
                findings.add("english", f"{path.suffix}: {word}")


def run_checks(report_path: Path, feed: dict[str, dict[str, Any]], top: int) -> Findings:
    report = json.loads(report_path.read_text(encoding="utf-8"))
    findings = Findings()
    stories = sorted(report["stories"], key=lambda s: s["rank"])[:top]
    for story in stories:
        if story.get("briefing"):
            check_story(story["briefing"], feed, findings)
    texts = [f"{a.get('title', '')}\n{a.get('text', '')}" for a in feed.values()]
    rendered = [report_path.with_suffix(s) for s in (".md", ".html") if report_path.with_suffix(s).exists()]
    check_rendered(rendered, texts, findings)
    findings.checked["stories"] = len(stories)
    return findings


def format_findings(findings: Findings, examples: int = 3) -> str:
    checked = ", ".join(f"{k}={v}" for k, v in findings.checked.items())
    lines = [f"checked: {checked}"]
    for kind in KINDS:
        found = findings.found[kind]
        lines.append(f"{kind}: {len(found)}")
        lines += [f"    {e}" for e in list(dict.fromkeys(found))[:examples]]
    return "\n".join(lines)


@dataclass
class CitationSample:
    story: int  # the story's rank
    point: str
    article_id: str
    outlet: str
    evidence: str  # the sentence the briefing gives for this article ("" when it gives none)
    own: bool  # the article the key point was taken from (right by construction)


def citations_of(report_path: Path, feed: dict[str, dict[str, Any]], top: int) -> list[CitationSample]:
    """Every key-point citation of the first `top` stories, in report order."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    found = []
    for story in sorted(report["stories"], key=lambda s: s["rank"])[:top]:
        briefing = story.get("briefing")
        if not briefing:
            continue
        for point in briefing["key_points"]:
            evidence = {e["article_id"]: e["sentence"] for e in point.get("evidence", [])}
            for source in point["sources"]:
                outlet = str((feed.get(source) or {}).get("source") or source)
                own = source == point.get("article_id")
                found.append(
                    CitationSample(story["rank"], point["text"], source, outlet, evidence.get(source, ""), own)
                )
    return found


def sample_citations(
    report_path: Path, feed: dict[str, dict[str, Any]], top: int, size: int, seed: int, others_only: bool = False
) -> tuple[list[CitationSample], int]:
    """A seeded random sample of `size` citations (only those to another article than the key point's own
    with `others_only`), in report order; and how many there were to draw from."""
    pool = [c for c in citations_of(report_path, feed, top) if not (others_only and c.own)]
    chosen = sorted(random.Random(seed).sample(range(len(pool)), min(size, len(pool))))
    return [pool[i] for i in chosen], len(pool)


def format_samples(samples: list[CitationSample], pool: int) -> str:
    lines = [f"citations sampled: {len(samples)} of {pool} (judge each: does the cited article report the point?)"]
    for number, sample in enumerate(samples, start=1):
        mark = "own article" if sample.own else "another article"
        lines += [
            f"[{number}] story {sample.story} · {sample.outlet} ({sample.article_id}, {mark})",
            f"    point:    {sample.point}",
            f"    evidence: {sample.evidence or '(none given)'}",
        ]
    return "\n".join(lines)
