"""Number–noun agreement for counts shown to readers: 1, 2, 3–10, 11–99, and hundreds.

«مصدر واحد»، «مصدران»، «3 مصادر»، «11 مصدرًا»، «100 مصدر». The nouns (with their adjectives, when a count
carries one) are listed in prompts/counts.toml so an editor can add one without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import prompts


@dataclass(frozen=True)
class NounForms:
    one: str  # «مصدر واحد» — the whole phrase, no digit
    two: str  # «مصدران»
    few: str  # 3–10: plural genitive, «مصادر»
    many: str  # 11–99: singular accusative, «مصدرًا»
    hundred: str  # 100, 200, 1000…: singular genitive, «مصدر»
    zero: str  # «لا مصادر»


def _nouns() -> dict[str, NounForms]:
    table = prompts.toml("counts.toml")
    return {key: NounForms(**forms) for key, forms in table.items()}


def count_phrase(number: int, noun: str) -> str:
    """The count and its noun as Arabic agreement wants them. Unknown noun -> KeyError (a template bug)."""
    forms = _nouns()[noun]
    n = abs(int(number))
    if n == 0:
        return forms.zero
    if n == 1:
        return forms.one
    if n == 2:
        return forms.two
    rest = n % 100
    if 3 <= rest <= 10:
        return f"{n} {forms.few}"
    if 11 <= rest <= 99:
        return f"{n} {forms.many}"
    return f"{n} {forms.hundred}"  # 100, 101, 102, 200…: «100 مقال»


def known_nouns() -> list[str]:
    return list(_nouns())
