"""Main text of an HTML page, via trafilatura (boilerplate, menus and comments dropped)."""

from __future__ import annotations


def html_to_text(html: str) -> str:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if text:
        return text
    # Fragments without page structure: fall back to the text of every element.
    from lxml import html as lxml_html

    try:
        return lxml_html.fromstring(html).text_content()
    except Exception:  # lxml raises several types on junk input
        return ""
