"""What every input kind gives the pipeline: the pages it found, then its batches of pages.

A source is an object with two steps, each of which may run Prefect tasks:

- ``discover()``: what it will read, as a count for the run's progress and the rejects met
  on the way (a missing folder, a feed that does not answer);
- ``batches(size)``: its pages, ``size`` at a time, each ``Batch`` with the rejects of its
  own pages (unreadable, failed to fetch).

The pipeline (``flows.pipeline``) does the rest the same way for every kind: parse, the
date window, entities, load. Adding an input kind is one module with one such class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol, TypeVar

from flows.sources.files import RawPage
from warehouse.records import Reject

__all__ = ["Batch", "Found", "PageSource", "batched", "slug"]

T = TypeVar("T")


@dataclass(frozen=True)
class Found:
    """What a source found before reading anything: how many pages to expect, and what failed already."""

    pages: int = 0  # for the run's progress; 0 when the source cannot tell before reading (a WARC)
    rejects: list[Reject] = field(default_factory=list)


@dataclass
class Batch:
    """One source's share of one batch: its pages to parse and the rejects of its pages so far."""

    label: str  # names the batch's task runs: parse-seeds-2
    source: str  # the source whose statistics it counts in
    pages: list[RawPage]
    rejects: list[Reject] = field(default_factory=list)
    discovered: int = 0  # pages of the run's inputs this batch accounts for
    not_modified: int = 0  # HTTP 304s: unchanged, not parsed again
    done: int = 0  # pages of the run's progress total this batch completes
    archive: list[RawPage] = field(default_factory=list)  # fetched bodies, kept when the batch is loaded


class PageSource(Protocol):
    """An input kind: folder, WARC archive, web, raw archive."""

    @property
    def labels(self) -> list[str]:
        """How the runs table and the summary name this source's inputs."""
        ...

    def discover(self) -> Found: ...

    def batches(self, size: int) -> Iterator[Batch]: ...


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch


def slug(source: str) -> str:
    """A source's name as a task run's name may carry it."""
    name = Path(source).name or source
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:40] or "source"
