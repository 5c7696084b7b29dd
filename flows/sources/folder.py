"""Files and folders on disk: the paths named on the command line and the ``kind = "folder"`` sources."""

from __future__ import annotations

from collections.abc import Iterator

from prefect.utilities.annotations import opaque

from flows.faults import checkpoint
from flows.sources.base import Batch, Found, batched, slug
from flows.sources.files import LocalFile
from flows.sources.web import InputPlan
from flows.tasks import discover, named, read

__all__ = ["FolderSource"]


class FolderSource:
    """All of a run's local paths, discovered in one task and read a batch at a time, source by source.

    A folder source's files go by the source's name (which its articles carry as ``input_source``)
    and get its language and site profile; files of paths named on the command line keep the path.
    """

    def __init__(self, plan: InputPlan) -> None:
        self.plan = plan  # its ``paths``, and the folder sources among them
        self.paths = plan.paths
        self._files: list[LocalFile] = []

    @property
    def labels(self) -> list[str]:
        return list(self.paths)

    def discover(self) -> Found:
        files, missing = discover(self.paths)
        self._files = [self.plan.named(file) for file in files]
        return Found(len(self._files), missing)

    def batches(self, size: int) -> Iterator[Batch]:
        by_source: dict[str, list[LocalFile]] = {}
        for file in self._files:
            by_source.setdefault(file.input_source, []).append(file)
        for source, files in by_source.items():
            hints = self.plan.hints_for(source)
            for number, files_batch in enumerate(batched(files, size), 1):
                checkpoint("batch")
                label = f"{slug(source)}-{number}"
                pages, unreadable = named(read, label)(opaque(files_batch), source=source)
                pages = [hints.apply(page) for page in pages]
                yield Batch(label, source, pages, unreadable, discovered=len(files_batch), done=len(files_batch))
