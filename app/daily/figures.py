"""Headline figures: two articles whose headlines lead with different figures report different things.

Same-kind items written to one template (two companies' quarterly results, two sessions of the stock
market, two fires with their rescue counts) differ mostly in their names and figures. When each
headline carries a figure and neither figure occurs anywhere in the other article, they are two reports,
however alike their words. Outlets do disagree on casualty counts while a toll is still rising, so a figure
next to a casualty word does not count, and neither does a year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from app.articles import Article
from app.text.normalize import normalize

_FIGURE = re.compile(r"[0-9]+(?:[.,٫][0-9]+)?")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
# Normalized stems of the words that count victims (قتيل، مقتل، مصاب، إصابة، شهيد، جريح، وفاة، ضحايا، حصيلة…).
_CASUALTY_STEMS = (
    *("قتيل", "قتلي", "مقتل", "قتل", "مصاب", "اصاب", "شهيد", "شهدا"),
    *("جريح", "جرحي", "وفاه", "وفيات", "ضحي", "ضحايا", "حصيله", "غرقي"),
)
_WINDOW = 4  # words either side of a figure that are searched for a casualty word
_TOKEN = re.compile(r"\S+")


def _canonical(figure: str) -> str:
    return figure.replace("٫", ".").replace(",", ".")


def headline_figures(title: str) -> set[str]:
    """The figures of a headline that identify what it reports (not years, not casualty counts)."""
    tokens = _TOKEN.findall(normalize(title))
    found: set[str] = set()
    for i, token in enumerate(tokens):
        for match in _FIGURE.finditer(token):
            figure = _canonical(match.group())
            if _YEAR.fullmatch(figure):
                continue
            around = " ".join(tokens[max(0, i - _WINDOW) : i + _WINDOW + 1])
            if any(stem in around for stem in _CASUALTY_STEMS):
                continue
            found.add(figure)
    return found


def article_figures(article: Article) -> set[str]:
    return {_canonical(f) for f in _FIGURE.findall(normalize(f"{article.title}\n{article.text}"))}


def figure_conflicts(articles: Sequence[Article]) -> np.ndarray:
    """conflict[i, j]: both headlines carry figures, and neither's figures occur in the other article."""
    heads = [headline_figures(a.title) for a in articles]
    bodies = [article_figures(a) for a in articles]
    size = len(articles)
    conflict = np.zeros((size, size), dtype=bool)
    for i in range(size):
        for j in range(i + 1, size):
            if heads[i] and heads[j] and not heads[i] & bodies[j] and not heads[j] & bodies[i]:
                conflict[i, j] = conflict[j, i] = True
    return conflict
