"""What `newsingest run` can check before it starts Prefect: the inputs it names and the warehouse file.

Starting Prefect (a temporary server, the flow run) takes seconds, and a run that fails
inside it ends in a traceback, a failed flow run and Prefect's shutdown noise. A missing
folder source, a ``--db`` that is a folder, a file that is not a DuckDB database, or one
another process holds, is known before any of that: each is one line and an exit code here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.sources.web import InputPlan
from warehouse.locking import WarehouseLocked, open_with_retry

__all__ = ["EXIT_LOCKED", "EXIT_USAGE", "Problem", "database_problem", "input_problems"]

EXIT_USAGE = 2  # what the user asked for cannot be done as asked
EXIT_LOCKED = 3  # another process kept the warehouse past the wait allowed


@dataclass(frozen=True)
class Problem:
    message: str
    exit_code: int = EXIT_USAGE


def input_problems(plan: InputPlan) -> list[str]:
    """The local inputs of the plan that are not there: paths, and the folders, archives and URL lists
    a sources file names (a run would only reject them, after starting everything)."""
    named = {source.location: source for source in [*plan.folders.values(), *plan.warcs, *plan.web]}
    wanted = [*plan.paths, *(s.location for s in plan.warcs), *(s.location for s in plan.web if s.kind == "urls")]
    problems = []
    for location in dict.fromkeys(wanted):
        if not Path(location).exists():
            source = named.get(location)
            what = f"source {source.name!r}: no such {source.kind}" if source else "no such file or folder"
            problems.append(f"{what}: {location}")
    return problems


def database_problem(db_path: str | Path, *, lock_timeout: float | None = None) -> Problem | None:
    """Why the run could not write ``db_path``, or None. An existing file is opened once (and closed),
    waiting out another process's write window as every open does (``warehouse.locking``)."""
    path = Path(db_path)
    if path.is_dir():
        return Problem(f"--db {path} is a folder; give a DuckDB file, e.g. {path / 'news.duckdb'}")
    if not path.exists():
        parent = next((p for p in path.absolute().parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            return Problem(f"--db {path}: {parent} is a file, not a folder")
        return None
    try:
        open_with_retry(lambda: duckdb.connect(str(path)), path, lock_timeout=lock_timeout).close()
    except WarehouseLocked as exc:
        return Problem(str(exc), EXIT_LOCKED)
    except (duckdb.Error, OSError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return Problem(f"--db {path} cannot be opened as a DuckDB warehouse: {first}")
    return None
