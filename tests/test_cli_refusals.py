"""The command line refuses what it cannot do: at parse time or before Prefect starts, one line, an exit code.

Each case is what a user typed; each must end in one line on stderr (no traceback) and the
exit code the README gives: 2 for a request that cannot be done as asked, 3 for a warehouse
another process keeps locked.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from flows.cli import main
from flows.sources.files import LocalFile, Reject, discover_files, read_file
from tests.conftest import ROOT, SEED_FILE
from tests.proc_helpers import hold_database, synthetic_pages
from warehouse import connect

REFUSED_AT_PARSE = [
    ["run", "--page-timeout", "0"],
    ["run", "--page-timeout", "-3"],
    ["run", "--page-timeout", "nan"],
    ["run", "--batch-size", "0"],
    ["run", "--batch-size", "-5"],
    ["run", "--workers", "0"],
    ["run", "--workers", "-1"],
    ["run", "--lock-timeout", "-1"],
    ["reparse", "--batch-size", "0"],
    ["sql", "SELECT 1", "--lock-timeout", "-1"],
    ["search", "war", "--limit", "-1"],
    ["search", "war", "--limit", "0"],
    ["search", "war", "--lock-timeout", "-0.5"],
    ["export", "--parquet", "out", "--lock-timeout", "-1"],
]


@pytest.mark.parametrize("argv", REFUSED_AT_PARSE, ids=" ".join)
def test_impossible_values_are_refused_at_parse_time(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"newsingest {argv[0]}: argument {argv[-2]}") and "--help" in err


def _cli(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`newsingest` as a process; its last stdout line says whether the Prefect flow was ever imported."""
    probe = (
        "import sys; from flows.cli import main; code = main(sys.argv[1:]);"
        " print('flow-imported' if 'flows.ingest' in sys.modules else 'flow-not-imported'); sys.exit(code)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSINGEST_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-c", probe, *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, timeout=120)  # fmt: skip


def _one_line_refusal(result: subprocess.CompletedProcess[bytes], code: int, pattern: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == code, err
    assert len(err.strip().splitlines()) == 1 and re.search(pattern, err), err
    assert result.stdout.decode().splitlines()[-1] == "flow-not-imported"  # refused before Prefect started


def test_an_empty_sources_file_is_an_error_not_seeds(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "sources.toml").write_text("# to be filled in\n")
    _one_line_refusal(_cli("run", "--db", "news.duckdb", cwd=tmp_path), 2, r"sources.toml: no \[\[source\]\]")
    (tmp_path / "mine.toml").write_text("")
    _one_line_refusal(_cli("run", "--sources", "mine.toml", cwd=tmp_path), 2, r"mine.toml: no \[\[source\]\]")
    assert not (tmp_path / "news.duckdb").exists()


def test_no_input_and_no_seeds_is_an_error(tmp_path):
    _one_line_refusal(_cli("run", "--db", "news.duckdb", cwd=tmp_path), 2, "nothing to ingest")


def test_a_missing_folder_source_is_an_error_before_the_run(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nname = "archive"\nkind = "folder"\nlocation = "gone"\n')
    _one_line_refusal(_cli("run", "--db", "news.duckdb", cwd=tmp_path), 2, "source 'archive': no such folder: gone")
    assert not (tmp_path / "news.duckdb").exists()


def test_a_db_that_is_a_folder_or_not_duckdb_is_one_line_before_prefect(tmp_path):
    pages = synthetic_pages(tmp_path / "pages", 1)
    (tmp_path / "folder.duckdb").mkdir()
    _one_line_refusal(_cli("run", str(pages), "--db", "folder.duckdb", cwd=tmp_path), 2, "is a folder")
    (tmp_path / "notes.duckdb").write_text("my notes, not a database\n")
    _one_line_refusal(_cli("run", str(pages), "--db", "notes.duckdb", cwd=tmp_path), 2,
                      "cannot be opened as a DuckDB warehouse: .*not a valid DuckDB database")  # fmt: skip
    assert (tmp_path / "notes.duckdb").read_text() == "my notes, not a database\n"


def test_a_locked_db_is_one_line_before_prefect(tmp_path):
    pages = synthetic_pages(tmp_path / "pages", 1)
    db = tmp_path / "news.duckdb"
    connect(db).close()
    holder = hold_database(db, 60)
    try:
        result = _cli("run", str(pages), "--db", str(db), "--lock-timeout", "0", cwd=tmp_path)
    finally:
        holder.kill()
        holder.wait()
    _one_line_refusal(result, 3, rf"is locked by process {holder.pid}")


def test_extract_reads_gzipped_pages_and_stdin(tmp_path):
    page = SEED_FILE.read_bytes()
    gz = tmp_path / "page.txt.gz"
    gz.write_bytes(gzip.compress(page))
    plain = json.loads(_cli("extract", str(SEED_FILE), cwd=tmp_path).stdout.decode().splitlines()[0])
    from_gz = json.loads(_cli("extract", str(gz), cwd=tmp_path).stdout.decode().splitlines()[0])
    from_stdin = _cli("extract", "-", cwd=tmp_path, stdin=gzip.compress(page))
    assert from_stdin.returncode == 0, from_stdin.stderr
    stdin_article = json.loads(from_stdin.stdout.decode().splitlines()[0])
    assert plain["title"] and from_gz["title"] == plain["title"] == stdin_article["title"]
    assert from_gz["body"] == plain["body"] == stdin_article["body"] and stdin_article["file"] == "-"
    assert from_gz["file"] == str(gz)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_broken_links_and_fifos_in_a_folder_become_rejects_without_blocking(tmp_path):
    folder = synthetic_pages(tmp_path / "pages", 2)
    (folder / "gone.html").symlink_to(tmp_path / "deleted.html")
    os.mkfifo(folder / "pipe.html")
    files, rejects = discover_files([folder])
    assert sorted(f.path.name for f in files) == ["story-000.html", "story-001.html"]
    assert sorted((Path(r.uri).name, r.stage, r.reason) for r in rejects) == [
        ("gone.html", "discover", "broken_link"), ("pipe.html", "discover", "not_a_file"),
    ]
    # A FIFO handed to the reader directly is refused, not waited on (a read would block for ever).
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(read_file(LocalFile(folder / "pipe.html", "x"))),
                              daemon=True)  # fmt: skip
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "reading a FIFO blocked"
    [reject] = outcome
    assert isinstance(reject, Reject) and reject.reason == "unreadable" and "not a regular file" in reject.detail


def test_a_run_records_broken_links_and_fifos_as_reject_rows(tmp_path, prefect_server):
    from flows.ingest import ingest
    from tests.proc_helpers import table_rows

    folder = synthetic_pages(tmp_path / "pages", 1)
    (folder / "gone.html").symlink_to(tmp_path / "deleted.html")
    os.mkfifo(folder / "pipe.html")
    db = tmp_path / "news.duckdb"
    summary = ingest(paths=[str(folder)], db_path=str(db), workers=1)
    assert summary.result.loaded == 1
    rows = table_rows(db, "SELECT uri, stage, reason FROM rejects")
    assert [(Path(uri).name, stage, reason) for uri, stage, reason in rows] == [
        ("gone.html", "discover", "broken_link"), ("pipe.html", "discover", "not_a_file"),
    ]


def test_export_never_deletes_files_it_did_not_write(tmp_path):
    from datetime import datetime

    from tests.test_export import _record
    from warehouse import load_batch

    db = tmp_path / "news.duckdb"
    con = connect(db)
    load_batch(con, run_id="r", articles=[_record("a", datetime(2016, 12, 21)), _record("b", None)])
    con.close()
    out = tmp_path / "out"
    assert main(["export", "--parquet", str(out), "--db", str(db)]) == 0
    manifest = out / ".newsingest-export.json"
    first = {p for p in out.rglob("*.parquet")}
    assert {p.relative_to(out).parts[0] for p in first} == {"articles", "entities", "mentions"}
    assert manifest.is_file() and len(first) > 3  # articles of two days
    (out / "README.txt").write_text("my notes beside the export")  # beside the table folders: left alone
    assert main(["export", "--parquet", str(out), "--db", str(db)]) == 0  # replaces its own files only
    second = {p for p in out.rglob("*.parquet")}
    assert (out / "README.txt").read_text() == "my notes beside the export"
    assert len(second) == len(first) and not first & second  # the old files gone, new ones in their place

    mine = out / "articles" / "mine.parquet"  # a user's file inside a table folder
    mine.write_bytes(b"not ours")
    listed = manifest.read_text()
    assert main(["export", "--parquet", str(out), "--db", str(db)]) == 2
    assert mine.read_bytes() == b"not ours" and manifest.read_text() == listed
    assert {p for p in out.rglob("*.parquet")} == second | {mine}  # nothing written, nothing deleted


def test_a_damaged_warc_prints_no_binary_junk(tmp_path, capfd):
    from flows.sources.warc import iter_warc
    from tests.test_warc_damage import URIS, build

    data = build(gz=False).data
    declared = re.search(rb"Content-Length: (\d+)", data)
    assert declared is not None
    # The first record's block declared 7 bytes short: warcio finds no newline after it and used
    # to print the rest of the record raw ("Remainder: b'</html>...'") to stderr.
    data = data[: declared.start(1)] + str(int(declared.group(1)) - 7).encode() + data[declared.end(1) :]
    path = tmp_path / "damaged.warc"
    path.write_bytes(data)
    results = list(iter_warc(path, source="cc"))
    captured = capfd.readouterr()
    assert "Remainder" not in captured.err + captured.out and captured.err == ""
    assert [r.uri for r in results if not isinstance(r, Reject)] == URIS
