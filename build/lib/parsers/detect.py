"""Tell an HTML page from a plain-text dump (or from something that is neither) by its content."""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["ContentKind", "sniff_content"]

ContentKind = Literal["html", "text", "binary", "empty"]

# Signatures of common non-page files (PDF, images, archives, office documents).
_BINARY_MAGIC = (
    b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
    b"\xd0\xcf\x11\xe0", b"RIFF", b"\x00\x00\x01\x00", b"OggS", b"ID3", b"7z\xbc\xaf",
)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:p|div|article|span|a|br|h[1-6]|section|main|li)\b[^>]*>", re.I)


def sniff_content(content: bytes | str, *, sample_size: int = 8192) -> ContentKind:
    """Classify a document from its first bytes.

    An extension lies more often than content does (a ``.txt`` saved HTML, an
    ``.html`` that is really a PDF), so only the bytes decide.
    """
    head = content[:sample_size]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    head = head.lstrip(b"\xef\xbb\xbf")
    if not head.strip():
        return "empty"
    if head.startswith(_BINARY_MAGIC) or _control_ratio(head) > 0.05:
        return "binary"
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    return "text"


def _control_ratio(sample: bytes) -> float:
    # UTF-16 text and binaries both carry NULs; real pages and dumps rarely carry control bytes.
    control = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return control / len(sample)
