"""Parse the date strings pages put in their metadata.

Machine-readable values (ISO 8601 and its common deviations, Unix epochs, and the
English "Nov 20, 2019 01:38 PM" some CMSs write into ``datePublished``) from
``datePublished``, ``article:published_time``, ``<time datetime>`` and friends.
Every result says whether the page stated a zone: a value without one is the
page's local time as printed and stays naive, never guessed into UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["PageDate", "parse_date"]

_ISO = re.compile(
    r"""^\s*(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})
    (?:[T\s]+(?P<h>\d{1,2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?)?
    \s*(?P<z>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$""",
    re.X | re.I,
)
# Dates with slashes or dots, day first as most of the world writes them ("28.04.2023 18:16").
_DMY = re.compile(
    r"^\s*(?P<d>\d{1,2})[./](?P<mo>\d{1,2})[./](?P<y>\d{4})(?:,?\s+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?)?"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAME = r"(?P<mon>[A-Za-z]{3,9})\.?"
_TEXT_DATES = (
    re.compile(_MONTH_NAME + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"),  # Nov 20, 2019
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _MONTH_NAME + r",?\s+(?P<y>\d{4})"),  # 20 Nov 2019
)
_TEXT_TIME = re.compile(r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?", re.I)
_EPOCH = re.compile(r"^\s*(\d{10}|\d{13})(?:\.\d+)?\s*$")
_EARLIEST = datetime(1990, 1, 1)


@dataclass(frozen=True)
class PageDate:
    value: datetime
    tz_known: bool


def parse_date(text: object, *, now: datetime | None = None) -> PageDate | None:
    """A date from a metadata value, or None when it is not one or is implausible
    (before 1990, or more than two days in the future)."""
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        return None
    text = str(text).strip()
    if not text or len(text) > 40:
        return None
    parsed = _parse(text)
    if parsed is None:
        return None
    naive = parsed.value.replace(tzinfo=None)
    latest = (now or datetime.now(UTC)).replace(tzinfo=None) + timedelta(days=2)
    if not _EARLIEST <= naive <= latest:
        return None
    return parsed


def _parse(text: str) -> PageDate | None:
    if match := _EPOCH.match(text):
        seconds = int(match.group(1)) / (1000 if len(match.group(1)) == 13 else 1)
        return PageDate(datetime.fromtimestamp(seconds, UTC), True)
    if match := _ISO.match(text):
        return _build(match.groupdict())
    if match := _DMY.match(text):
        parts = {**match.groupdict(), "f": None, "z": None}
        # Day first, as most of the world writes it; "11/20/2019" can only be month first.
        return _build(parts) or _build({**parts, "d": parts["mo"], "mo": parts["d"]})
    return _parse_text(text)


def _parse_text(text: str) -> PageDate | None:
    """English month-name dates; a zone abbreviation ("IST", "EDT") is ambiguous, so naive."""
    for pattern in _TEXT_DATES:
        match = pattern.search(text)
        if match and match.group("mon").lower() in _MONTHS:
            parts: dict[str, str | None] = {
                "y": match.group("y"), "mo": str(_MONTHS[match.group("mon").lower()]), "d": match.group("d")
            }
            clock = _TEXT_TIME.search(text)
            if clock:
                hour = int(clock.group("h")) % 12 if clock.group("ampm") else int(clock.group("h"))
                if (clock.group("ampm") or "").lower().startswith("p"):
                    hour += 12
                parts.update(h=str(hour), mi=clock.group("mi"), s=clock.group("s"))
            zone = re.search(r"\b(?:UTC|GMT)\b|[+-]\d{2}:?\d{2}\b(?!\d)", text[match.end() :])
            parts["z"] = zone.group(0) if zone and clock else None
            return _build(parts)
    return None


def _build(parts: dict[str, str | None]) -> PageDate | None:
    try:
        fraction = (parts.get("f") or "0")[:6].ljust(6, "0")
        value = datetime(
            int(parts["y"] or 0),
            int(parts["mo"] or 0),
            int(parts["d"] or 0),
            int(parts.get("h") or 0),
            int(parts.get("mi") or 0),
            int(parts.get("s") or 0),
            int(fraction),
        )
    except ValueError:
        return None
    zone = parts.get("z")
    if not zone:
        return PageDate(value, False)
    return PageDate(value.replace(tzinfo=_zone(zone)), True)


def _zone(text: str) -> timezone:
    if text.upper() in {"Z", "UTC", "GMT"}:
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
