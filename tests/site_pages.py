"""A small local news site whose layout can change, for health, artifact and deployment tests."""

from __future__ import annotations

from pathlib import Path

__all__ = ["page_html", "write_site"]


def page_html(number: int, *, layout: str = "old") -> str:
    body = "".join(
        f"<p>Paragraph {k} of story {number}: the council met on Tuesday to discuss the new budget for"
        f" schools, roads and the harbour, and members argued for hours about the figures.</p>"
        for k in range(4)
    ) + "<p>Mayor Anna Berg told the Harbour Authority in Bergen that Anna Berg would decide by Friday.</p>"
    if layout == "old":
        when = f"2026-11-{10 + number:02d}T09:00:00+00:00"
        head = f'<meta name="author" content="Jane Doe"><meta property="article:published_time" content="{when}">'
        byline = f'<p class="byline">By Jane Doe</p><time datetime="{when}">Nov {10 + number}</time>'
    else:  # the redesign: no author or date markup anywhere
        head = byline = ""
    return (
        f"<html><head><title>Story {number} - Town News</title>{head}</head><body>"
        f"<nav>Home | News | Sport</nav><article><h1>Story {number}</h1>{byline}{body}</article>"
        "<footer>Copyright Town News</footer></body></html>"
    )


def write_site(folder: Path, *, layout: str = "old", pages: int = 5, junk: bool = False) -> Path:
    """``pages`` story pages in ``folder`` (``layout`` old: with authors and dates; new: without)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(pages):
        (folder / f"story{number}.html").write_text(page_html(number, layout=layout), encoding="utf-8")
    if junk:
        (folder / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    return folder
