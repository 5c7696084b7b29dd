"""How a run ends, told truly everywhere: the ``runs`` table, the flow run's state, an artifact.

- Stopped on request (``flows.stopping``): ``runs`` says ``interrupted`` with what was loaded, the
  flow run ends *Cancelled* (not Failed, not Crashed), and its summary artifact says so.
- Failed: ``runs`` says ``failed``, and the summary artifact names the cause in one line, so the
  UI shows why without opening a traceback in the logs.
- Crashed or cancelled from outside (a worker or ``newsingest serve`` stopping, ``prefect
  flow-run cancel``): the flow's ``on_crashed`` / ``on_cancellation`` hooks close the ``runs``
  row the run could not close itself, so no ghost stays ``running``.
"""

from __future__ import annotations

import functools
import inspect
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from flows.stopping import RunInterrupted, stop_on_signals

__all__ = ["SUMMARY_KEY", "close_unfinished_run", "ended_by", "latest_run_line", "reports_its_end"]

SUMMARY_KEY = "ingest-summary"  # the same key as a completed run's summary (flows.artifacts)
F = TypeVar("F", bound=Callable[..., Any])


def ended_by(exc: BaseException) -> dict[str, str]:
    """The ``runs`` status and error for a run that ended with ``exc``."""
    if isinstance(exc, RunInterrupted):
        return {"status": "interrupted", "error": str(exc)}
    if isinstance(exc, KeyboardInterrupt):
        return {"status": "interrupted", "error": "interrupted by SIGINT (twice: the batch in flight rolled back)"}
    return {"status": "failed", "error": one_line(exc)}


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:500] if text else type(exc).__name__


def reports_its_end(fn: F) -> F:
    """Wrap a flow function: it stops on SIGINT/SIGTERM at a safe point and ends *Cancelled*, and a failed
    or interrupted run leaves a summary artifact naming its cause."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with stop_on_signals():
            try:
                return fn(*args, **kwargs)
            except RunInterrupted as exc:
                from prefect.states import Cancelled

                _publish_end(f"Interrupted by {signal.Signals(exc.signum).name}", exc)
                return Cancelled(message=f"{exc}: stopped between batches, every loaded batch committed")
            except Exception as exc:
                _publish_end("Failed", exc)
                raise

    # Prefect builds the flow's parameter model from the annotations: hand it them evaluated in the
    # flow's own module (as strings they would be looked up in this one).
    run.__signature__ = inspect.signature(fn, eval_str=True)  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]


def _publish_end(title: str, exc: BaseException) -> None:
    """The run's summary artifact for a run that did not complete: its cause, then its figures from ``runs``."""
    from prefect.artifacts import create_markdown_artifact
    from prefect.runtime import flow_run

    run_id = flow_run.get_id()
    figures = _run_row(flow_run.parameters.get("db_path"), run_id) if run_id else None
    lines = [f"# {title}", "", f"**Cause:** {one_line(exc)}", ""]
    if figures:
        lines += ["| status | pages seen | loaded | unchanged | duplicates | rejects |", "|---|---|---|---|---|---|",
                  "| " + " | ".join(str(value) for value in figures) + " |"]  # fmt: skip
    try:
        create_markdown_artifact(key=SUMMARY_KEY, markdown="\n".join(lines), description=f"{title}: {one_line(exc)}")
    except Exception:  # the artifact is a courtesy: the run's end must not fail on it
        pass


def _run_row(db_path: str | None, run_id: str) -> tuple[Any, ...] | None:
    if not db_path:
        return None
    try:
        from warehouse import connect_read_only

        con = connect_read_only(db_path, lock_timeout=5)
    except Exception:
        return None
    try:
        return con.execute(
            "SELECT status, pages_seen, articles_loaded, unchanged, duplicates, rejects FROM runs WHERE run_id = ?",
            [run_id],
        ).fetchone()
    finally:
        con.close()


def close_unfinished_run(flow: Any, flow_run: Any, state: Any) -> None:
    """A Prefect ``on_crashed`` / ``on_cancellation`` hook: the ``runs`` row of a run stopped from outside,
    still ``running``, becomes ``failed`` (crashed) or ``interrupted`` (cancelled), with its cause."""
    from warehouse.handle import Warehouse
    from warehouse.runs import end_unfinished_run

    db_path = (flow_run.parameters or {}).get("db_path") or _default(flow, "db_path")
    # A hook may run elsewhere than the run did (a worker's own folder): never create a warehouse there.
    if not db_path or not Path(db_path).is_file():
        return
    status = "interrupted" if state.is_cancelled() else "failed"
    why = f"flow run {state.name.lower()}: {state.message or 'no message'}"
    with Warehouse(db_path).connection() as con:
        end_unfinished_run(con, run_id=str(flow_run.id), status=status, error=why, at=datetime.now(UTC))


def _default(flow: Any, name: str) -> Any:
    parameter = inspect.signature(flow.fn).parameters.get(name)
    return None if parameter is None or parameter.default is inspect.Parameter.empty else parameter.default


def latest_run_line(db_path: str, *, pid: int) -> str | None:
    """The figures of the newest run this process started in ``db_path``, in words; None if unknown."""
    try:
        from warehouse import connect_read_only

        con = connect_read_only(db_path, lock_timeout=5)
    except Exception:
        return None
    try:
        row = con.execute(
            "SELECT status, articles_loaded, unchanged, rejects, pages_seen FROM runs WHERE pid = ?"
            " ORDER BY started_at DESC LIMIT 1",
            [pid],
        ).fetchone()
    finally:
        con.close()
    if row is None or row[1] is None:
        return None
    status, loaded, unchanged, rejects, seen = row
    return f"{loaded} loaded, {unchanged} unchanged, {rejects} rejected of {seen} page(s) seen (runs: {status})"
