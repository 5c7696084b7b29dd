"""Decode page bytes to text: HTTP header, BOM, <meta>, then detection."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

__all__ = ["decode_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_html(content: bytes, *, content_type: str | None = None) -> str:
    """Decode ``content``; a declared charset is trusted only if the bytes decode under it."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(encoding, "replace")
    for declared in (_from_header(content_type), _from_meta(content)):
        if declared:
            try:
                return content.decode(declared)
            except (UnicodeDecodeError, LookupError):
                continue  # a page that lies about its charset: fall through to detection
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return content.decode(encoding, "replace")


def _from_header(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return _known(match.group(1)) if match else None


def _from_meta(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:4096])
    return _known(match.group(1).decode("ascii", "ignore")) if match else None


def _known(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # Browsers read "iso-8859-1" and "ascii" as windows-1252 (WHATWG Encoding), and so do we.
    return "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec
