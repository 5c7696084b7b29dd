"""``newsingest`` command line: run the ingest flow, serve its deployments, extract pages, query the warehouse."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import duckdb

    from flows.summary import RunSummary

__all__ = ["main"]

# Quiet defaults for a terminal run; a user's own environment settings win.
# The flow's INFO logs still reach the Prefect API (and the UI); only the console is kept to warnings.
_QUIET_PREFECT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    "PREFECT_LOGGING_INTERNAL_LEVEL": "ERROR",
    # The temporary server migrates its database on first start: give a cold machine time.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:  # Ctrl-C before a run took over its signals, or pressed twice
        print("newsingest: interrupted", file=sys.stderr)
        return 130


class _Parser(argparse.ArgumentParser):
    """argparse, with a refused argument said in one line (the usage block is one `--help` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see: {self.prog} --help)\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsingest", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="ingest files or folders into the warehouse through the Prefect flow")
    run.add_argument(
        "paths", nargs="*", help="files or folders of pages or text dumps, or .warc(.gz) archives"
        " (default: the sources in ./sources.toml, else seeds/)",
    )  # fmt: skip
    run.add_argument("--db", default="data/news.duckdb", help="DuckDB file (default: %(default)s)")
    run.add_argument("--batch-size", type=_positive_int, default=50, help="pages per task run (default: %(default)s)")
    web = run.add_argument_group("web sources (see README: Ingest from the web)")
    web.add_argument("--sources", metavar="FILE", help="a sources.toml file")
    web.add_argument("--feed", metavar="URL", action="append", default=[], help="an RSS or Atom feed (repeatable)")
    web.add_argument("--sitemap", metavar="URL", action="append", default=[], help="a sitemap or sitemap index")
    web.add_argument("--urls", metavar="FILE", action="append", default=[], help="a file of URLs, one per line")
    web.add_argument(
        "--allow-private-addresses", action="store_true",
        help="also fetch from private, loopback and link-local addresses (refused by default)",
    )  # fmt: skip
    run.add_argument("--workers", type=_positive_int, help="parser processes (default: one per core)")
    run.add_argument("--page-timeout", type=_positive_seconds, metavar="SECONDS",
                     help="time limit per page; a page over it is rejected as parse_timeout (default: 30)")
    run.add_argument("--task-runner", choices=["default", "dask"], default="default",
                     help="where read/parse/entities run: this machine, or a Dask cluster (the DB is written here)")
    run.add_argument("--dask-address", metavar="tcp://HOST:PORT",
                     help="scheduler of an existing Dask cluster (default: a temporary local cluster)")
    _add_lock_timeout(run)
    run.set_defaults(handler=_run)

    reparse = commands.add_parser("reparse", help="re-extract archived web pages with the current parsers, offline")
    reparse.add_argument("--db", default="data/news.duckdb", help="DuckDB file (default: %(default)s)")
    reparse.add_argument("--since", type=_date, help="only pages fetched on or after this date (YYYY-MM-DD or ISO)")
    reparse.add_argument(
        "--batch-size", type=_positive_int, default=50, help="pages per task run (default: %(default)s)"
    )
    reparse.add_argument(
        "--sources", metavar="FILE",
        help="sources file whose language and site profile hints apply (default: ./sources.toml if any)",
    )
    reparse.set_defaults(handler=_reparse)

    extract = commands.add_parser("extract", help="print each page as one JSON object per line (no database)")
    extract.add_argument("files", nargs="+", type=Path, help="pages or text dumps (gzipped too); - reads stdin")
    extract.add_argument("--url", help="the page's URL, when there is one file")
    extract.set_defaults(handler=_extract)

    sql = commands.add_parser("sql", help="run a query on the warehouse, read-only, and print a table")
    sql.add_argument("query")
    sql.add_argument("--db", default="data/news.duckdb")
    _add_lock_timeout(sql)
    sql.set_defaults(handler=_sql)

    search = commands.add_parser("search", help="full-text search over titles and bodies, best BM25 match first")
    search.add_argument("query")
    search.add_argument("--db", default="data/news.duckdb")
    _add_lock_timeout(search)
    search.add_argument("--limit", type=_positive_int, default=10, help="at most this many hits (default: %(default)s)")
    search.set_defaults(handler=_search)

    export = commands.add_parser("export", help="write articles, entities and mentions as files")
    export.add_argument("--parquet", required=True, type=Path, metavar="DIR",
                        help="folder for Parquet files partitioned by publication date")
    export.add_argument("--db", default="data/news.duckdb")
    _add_lock_timeout(export)
    export.set_defaults(handler=_export)

    serve = commands.add_parser(
        "serve", help="serve the deployments of prefect.yaml with their schedules from this process (needs a server)"
    )
    serve.add_argument("--prefect-file", help="deployments file (default: ./prefect.yaml, else the repository's)")
    serve.add_argument("--timezone", help="time zone of the schedules, e.g. Europe/Berlin (default: as in the file)")
    serve.add_argument("--db", help="DuckDB file for every deployment (default: as in the file)")
    serve.add_argument(
        "--sources", metavar="FILE", help="sources file of the ingest deployments (default: as in the file)"
    )
    serve.set_defaults(handler=_serve)
    return parser


def _add_lock_timeout(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--lock-timeout", type=_seconds, metavar="SECONDS",
        help="how long to wait while another process holds the database file"
        " (default: $NEWSINGEST_LOCK_TIMEOUT or 60)",
    )


def _run(args: argparse.Namespace) -> int:
    began = time.monotonic()
    for key, value in _QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    if args.lock_timeout is not None:  # through the environment, so every task's open sees it
        os.environ["NEWSINGEST_LOCK_TIMEOUT"] = str(args.lock_timeout)
    from flows.http.weberrors import SourcesError
    from flows.sources.web import plan_inputs

    missing = [path for path in [*args.paths, *args.urls, *filter(None, [args.sources])] if not Path(path).exists()]
    if missing:
        print(f"newsingest: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:  # check the sources file and flags before starting anything: a typo fetches nothing
        plan = plan_inputs(paths=args.paths, sources_file=args.sources, feeds=args.feed, sitemaps=args.sitemap,
                           url_files=args.urls)  # fmt: skip
    except SourcesError as exc:
        print(f"newsingest: {exc}", file=sys.stderr)
        return 2
    from flows.preflight import database_problem, input_problems

    for problem in input_problems(plan):
        print(f"newsingest: {problem}", file=sys.stderr)
    if input_problems(plan):
        return 2
    db_problem = database_problem(args.db, lock_timeout=args.lock_timeout)
    if db_problem is not None:
        print(f"newsingest: {db_problem.message}", file=sys.stderr)
        return db_problem.exit_code
    from flows.ingest import ingest  # import after the environment: Prefect reads it at import

    if args.task_runner == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError:
            print("newsingest: --task-runner dask needs: pip install 'newsingest[dask]'", file=sys.stderr)
            return 2
        runner = DaskTaskRunner(address=args.dask_address) if args.dask_address else DaskTaskRunner()
        ingest = ingest.with_options(task_runner=runner)

    def call() -> RunSummary:
        return ingest(
            paths=list(args.paths), db_path=args.db, batch_size=args.batch_size, sources_file=args.sources,
            feeds=args.feed, sitemaps=args.sitemap, url_files=args.urls,
            allow_private_addresses=args.allow_private_addresses,
            workers=args.workers, page_timeout=args.page_timeout,
        )  # fmt: skip

    return _run_to_its_end("run", call, db=args.db, began=began)


def _run_to_its_end(what: str, call: Callable[[], RunSummary], *, db: str, began: float) -> int:
    """Run a flow (``call``) from the terminal: stop on request, one console line however it ends.

    Ctrl-C or SIGTERM stops it between batches (``flows.stopping``): exit 130 or 143 with what
    it loaded; a locked warehouse exits 3; any other failure 1, in one line (the run's record,
    its artifact and Prefect's logs keep the details).
    """
    from prefect.exceptions import CancelledRun

    from flows.console import hide_tracebacks
    from flows.stopping import RunInterrupted, raise_if_stop_requested, stop_on_signals, stop_requested
    from flows.summary import render_console
    from flows.tempserver import start_temporary_server
    from warehouse import WarehouseLocked

    hide_tracebacks()  # the cause is one line below; NEWSINGEST_DEBUG=1 keeps Prefect's tracebacks
    with stop_on_signals():  # Ctrl-C / SIGTERM: the run stops between batches (flows.stopping)
        try:
            start_temporary_server()  # its own session, and it dies with this process (flows.tempserver)
            raise_if_stop_requested()  # Ctrl-C while Prefect started: no run begun, none to record
            summary = call()
        except (CancelledRun, RunInterrupted, KeyboardInterrupt):
            signum = stop_requested() or signal.SIGINT
            print(f"newsingest: {_interrupted_line(what, db, signum)}", file=sys.stderr)
            return 128 + signum
        except WarehouseLocked as exc:
            print(f"newsingest: {exc}", file=sys.stderr)
            return 3
        except Exception as exc:
            if os.environ.get("NEWSINGEST_DEBUG"):
                raise
            print(f"newsingest: {what} failed: {type(exc).__name__}: {' '.join(str(exc).split())}"
                  " (NEWSINGEST_DEBUG=1 shows the traceback)", file=sys.stderr)  # fmt: skip
            return 1
    print(render_console(summary, wall_seconds=time.monotonic() - began))
    return 0


def _interrupted_line(what: str, db: str, signum: int) -> str:
    """What an interrupted run did, from its own row in ``runs`` (the newest one of this process)."""
    from flows.run_end import latest_run_line

    name = signal.Signals(signum).name
    done = latest_run_line(db, pid=os.getpid())
    return f"{what} interrupted by {name}" + (f": {done}" if done else "") + "; run it again to finish"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _seconds(text: str) -> float:
    """A number of seconds, 0 or more (a wait that may be skipped)."""
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from exc
    if not value >= 0 or value == float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number of seconds, 0 or more, not {text}")
    return value


def _positive_seconds(text: str) -> float:
    """A time limit: 0 would reject everything it limits."""
    value = _seconds(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def _date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _reparse(args: argparse.Namespace) -> int:
    began = time.monotonic()
    for key, value in _QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    if not Path(args.db).exists():
        print(f"newsingest: no warehouse at {args.db}", file=sys.stderr)
        return 2
    from flows.reparse import reparse  # import after the environment, as for run

    def call() -> RunSummary:
        return reparse(db_path=args.db, since=args.since, batch_size=args.batch_size, sources_file=args.sources)

    return _run_to_its_end("reparse", call, db=args.db, began=began)


def _serve(args: argparse.Namespace) -> int:
    for key, value in _QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
    from flows.serve import serve_deployments

    overrides = {"db_path": args.db, "sources_file": args.sources}
    return serve_deployments(
        prefect_file=args.prefect_file,
        timezone=args.timezone,
        parameters={key: value for key, value in overrides.items() if value is not None},
    )


def _extract(args: argparse.Namespace) -> int:
    from flows.sources.files import read_page_bytes
    from parsers import ParseError, extract_article

    status = 0
    for path in args.files:
        name = "-" if str(path) == "-" else str(path)
        try:
            content = read_page_bytes(sys.stdin.buffer if name == "-" else path)  # gzipped pages too
            article = extract_article(content, url=args.url if len(args.files) == 1 else None)
        except (OSError, ValueError, ParseError) as exc:
            print(json.dumps({"file": name, "error": str(exc)}, ensure_ascii=False))
            status = 1
            continue
        print(json.dumps({"file": name, **article.to_dict()}, ensure_ascii=False))
    return status


def _open_read_only(
    args: argparse.Namespace, opener: Callable[..., duckdb.DuckDBPyConnection] | None = None
) -> duckdb.DuckDBPyConnection | int:
    """A read-only handle on ``--db``, waiting out a writer; or the exit code after saying why not."""
    import duckdb

    from warehouse import WarehouseLocked, connect_read_only

    try:
        return (opener or connect_read_only)(args.db, lock_timeout=args.lock_timeout)
    except WarehouseLocked as exc:
        print(f"newsingest: {exc}", file=sys.stderr)
        return 3
    except (FileNotFoundError, duckdb.Error) as exc:
        print(f"newsingest: {exc}", file=sys.stderr)
        return 2


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse import connect_query_only

    con = _open_read_only(args, opener=connect_query_only)
    if isinstance(con, int):
        return con
    try:
        relation = con.sql(args.query)
        if relation is None:
            return 0
        relation.show(max_width=200, max_rows=100)
    except duckdb.Error as exc:
        print(f"newsingest sql: {_sql_refusal(exc) or _first_line(exc)}", file=sys.stderr)
        return 1
    finally:
        con.close()
    return 0


def _sql_refusal(exc: Exception) -> str | None:
    """What `newsingest sql` refused and why, in one line; None for an ordinary query error."""
    import duckdb

    text = _first_line(exc)
    outside = isinstance(exc, duckdb.PermissionException)
    locked = "configuration has been locked" in text
    writes = "read-only mode" in text or "in-memory database in read-only" in text
    if not (outside or locked or writes):
        return None
    what = (
        "it reads only the warehouse: no other files, no network, no extensions" if outside or locked
        else "the warehouse is opened read-only"
    )
    return f"refused ({what}): {text}"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _search(args: argparse.Namespace) -> int:
    from warehouse.search import SearchError, search

    con = _open_read_only(args)
    if isinstance(con, int):
        return con
    try:
        hits = search(con, args.query, limit=args.limit)
    except SearchError as exc:
        print(f"newsingest: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    if not hits:
        print(f"no article matches {args.query!r}")
    for rank, hit in enumerate(hits, 1):
        day = f"{hit.published_at:%Y-%m-%d}" if hit.published_at else "----------"
        print(f"{rank:>3}. {hit.score:6.2f}  {day}  {hit.site_name or '-'}  {hit.title or '(no title)'}")
        print(f"     {hit.url}")
    return 0


def _export(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.export import ExportRefused, export_parquet

    con = _open_read_only(args)
    if isinstance(con, int):
        return con
    try:
        written = export_parquet(con, args.parquet)
    except ExportRefused as exc:
        print(f"newsingest: export refused: {exc}", file=sys.stderr)
        return 2
    except (OSError, duckdb.Error) as exc:
        print(f"newsingest: export failed: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    counts = ", ".join(f"{table} {rows}" for table, rows in written.items())
    print(f"newsingest: wrote Parquet to {args.parquet}: {counts} rows (partitioned by publication date)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
