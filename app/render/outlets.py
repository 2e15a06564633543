"""What a reader sees for an outlet and an article title.

Outlet display names come from prompts/outlets.txt («slug = الاسم», editors add lines); an unknown slug is
shown as it is. Titles lose the site's category prefix («عام / …»، «اقتصادي / …») listed in
prompts/title_prefixes.txt.
"""

from __future__ import annotations

import re

from app import prompts


def _names() -> dict[str, str]:
    names = {}
    for line in prompts.lines("outlets.txt"):
        slug, _, name = line.partition("=")
        if name.strip():
            names[slug.strip().lower()] = name.strip()
    return names


def outlet_name(slug: str | None) -> str:
    if not slug:
        return ""
    return _names().get(slug.strip().lower(), slug.strip())


def _prefix() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in prompts.lines("title_prefixes.txt"))
    return re.compile(rf"^\s*(?:{words})\s*/\s*(?=\S)")


def clean_title(title: str | None) -> str:
    """The title without a leading category label («عام / وزير …» -> «وزير …»)."""
    return _prefix().sub("", title or "").strip()
