"""Story markup shipped inside scripts, for pages rendered in the browser.

Client-rendered sites (React/Next.js hydration payloads, Nuxt state and the like) can
send the article only as an HTML string inside a ``<script>``, JSON-escaped
(``\\u003cp class=\\"body\\"\\u003e...``), with no paragraph in the DOM. When the DOM
gives no story, the longest such string that holds paragraphs is the story's markup.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

__all__ = ["embedded_story", "script_payloads"]

# a JSON/JS string literal: quotes with escaped characters inside
_STRING = re.compile(r'"((?:[^"\\]|\\.){400,})"', re.DOTALL)
_ESCAPED_P = ("\\u003cp", "\\u003Cp", "<p>", "<p ")
_MIN_PARAGRAPHS = 3


def script_payloads(tree: Any) -> list[str]:
    """Texts of the scripts that carry paragraph markup (taken before the scripts are dropped)."""
    out = []
    for script in tree.iter("script"):
        text = script.text or ""
        if len(text) > 500 and any(marker in text for marker in _ESCAPED_P):
            out.append(text)
    return out


def embedded_story(payloads: list[str]) -> Any:
    """The richest HTML string among the payloads, parsed into a small document, or None."""
    best, best_count = None, 0
    for payload in payloads:
        for match in _STRING.finditer(payload):
            raw = match.group(1)
            if not any(marker in raw for marker in _ESCAPED_P):
                continue
            try:
                markup = json.loads(f'"{raw}"')
            except ValueError:
                continue
            count = markup.count("<p")
            if count > best_count:
                best, best_count = markup, count
    if best is None or best_count < _MIN_PARAGRAPHS:
        return None
    try:
        body = lxml_html.fragment_fromstring(best, create_parent="body")
    except (etree.ParserError, ValueError):
        return None
    root = lxml_html.Element("html")
    root.append(body)
    return root
