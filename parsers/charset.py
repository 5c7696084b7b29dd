"""Decode page bytes to text.

Stages, in the order the code runs them:
1. a byte-order mark wins over everything (as in browsers);
2. bytes that are valid UTF-8 and hold multi-byte sequences are UTF-8, whatever is
   declared: text in a legacy charset almost never forms valid UTF-8 by accident,
   while pages re-encoded by a crawler or CMS often keep a stale ``<meta charset>``;
3. the declared charset (HTTP header, then ``<meta charset>`` / ``http-equiv`` in the
   first 4 KB), trusted only if the bytes decode under it strictly;
4. a page that declares UTF-8 and is *almost* UTF-8 (a few stray bytes in a long
   text) stays UTF-8, the stray bytes replaced;
5. detection (charset-normalizer), then windows-1252 as the last resort.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

__all__ = ["decode_html", "declared_charset"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|^\s*<\?xml[^>]+?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A lead byte of a multi-byte UTF-8 sequence followed by its continuation bytes.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# WHATWG Encoding: labels browsers read as another, wider charset.
_SUPERSETS = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}
_DETECT_SAMPLE = 200_000
# Charsets of the WHATWG Encoding Standard as Python codecs, commonest on the web first.
_WEB_CHARSETS = (
    "cp1252", "cp1251", "cp1250", "gb18030", "cp932", "cp949", "big5", "euc_jp", "iso8859-2", "koi8-r",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "iso8859-15", "iso8859-5",
    "iso8859-7", "iso8859-8", "koi8-u", "iso2022_jp", "mac-roman", "mac-cyrillic",
)


def decode_html(content: bytes, *, content_type: str | None = None) -> str:
    """Decode ``content`` (an HTML page as fetched); ``content_type`` is the HTTP header, if any."""
    for bom, encoding in _BOMS:  # 1
        if content.startswith(bom):
            return content[len(bom) :].decode(encoding, "replace")
    if not content.isascii():  # 2 (pure ASCII: let a declared charset decide, same text either way)
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            pass
    declared = [name for name in (_from_header(content_type), declared_charset(content)) if name]
    for encoding in declared:  # 3
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue  # the page lies about its charset
    if "utf-8" in declared and _mostly_utf8(content):  # 4
        return content.decode("utf-8", "replace")
    return content.decode(_detect(content), "replace")  # 5


def declared_charset(content: bytes) -> str | None:
    """The charset a page names in ``<meta>`` (or an XHTML page's ``<?xml encoding=...?>``)
    within its first 4 KB, as a Python codec name."""
    match = _META_CHARSET.search(content[:4096])
    return _codec((match.group(1) or match.group(2)).decode("ascii", "ignore")) if match else None


def _from_header(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return _codec(match.group(1)) if match else None


def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    if codec in {"utf-16", "utf-16-le", "utf-16-be"}:
        # A page without a BOM that says UTF-16 in ASCII-compatible bytes is not UTF-16.
        return "utf-8"
    return _SUPERSETS.get(codec, codec)


def _mostly_utf8(content: bytes) -> bool:
    """UTF-8 text with a few broken bytes (a CMS that pasted one Latin-1 string into a UTF-8 page)."""
    sample = content[:_DETECT_SAMPLE]
    multibyte = sum(len(m) for m in _UTF8_MULTIBYTE.findall(sample))
    high = len(_HIGH_BYTE.findall(sample))
    stray = high - multibyte
    return multibyte >= 20 and stray * 20 <= multibyte


def _detect(content: bytes) -> str:
    """Detection among the charsets the web actually uses: single-byte Latin pages decode
    equally cleanly under several code pages, so ties go to the commonest (windows-1252)."""
    matches = charset_normalizer.from_bytes(content[:_DETECT_SAMPLE])
    best: tuple[float, int, str] | None = None
    for match in matches:
        for name in match.could_be_from_charset:
            codec = _codec(name)
            if codec not in _WEB_CHARSETS:
                continue
            key = (round(match.chaos, 2), _WEB_CHARSETS.index(codec), codec)
            if best is None or key < best:
                best = key
    return best[2] if best else "cp1252"
