"""Scale-out: read, parse and entities on a Dask cluster of two worker processes, one writer loading the DB.

The database a run on the cluster leaves must equal the one the default runner leaves on the same pages.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import ROOT
from tests.proc_helpers import article_rows, newsingest, prefect_env, synthetic_pages, table_rows

distributed = pytest.importorskip("distributed")
pytest.importorskip("prefect_dask")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    # Worker processes import the flow's modules: they must find the repository.
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), previous]))
    try:
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
        ) as local:
            yield local
    finally:
        if previous is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = previous


def test_dask_cluster_run_equals_default_run(tmp_path, cluster, prefect_server):
    pages = synthetic_pages(tmp_path / "pages", 9)
    (pages / "empty.html").write_bytes(b"")  # a reject travels back from the cluster too
    last = pages / "story-008.html"  # one page states no language: its folder source's hint names it
    (pages / "no-lang.html").write_text(last.read_text(encoding="utf-8").replace("<html lang=en>", "<html>"))
    last.unlink()
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "disk"\nkind = "folder"\nlocation = "{pages}"\nlanguage = "de"\n')
    default_db, dask_db = tmp_path / "default.duckdb", tmp_path / "dask.duckdb"

    default = newsingest(
        "run", "--sources", str(sources), "--db", str(default_db), "--batch-size", "3", "--workers", "1"
    )
    assert default.returncode == 0, default.stderr

    env = prefect_env()
    dask = newsingest(
        "run", "--sources", str(sources), "--db", str(dask_db), "--batch-size", "3",
        "--task-runner", "dask", "--dask-address", cluster.scheduler_address, env=env,
    )
    assert dask.returncode == 0, dask.stdout + dask.stderr
    assert "articles loaded: 9" in dask.stdout

    assert article_rows(dask_db) == article_rows(default_db)
    languages = table_rows(dask_db, "SELECT DISTINCT language FROM articles ORDER BY 1")
    assert languages == [("de",), ("en",)]
    assert len(article_rows(dask_db)["mentions"]) > 8
    assert table_rows(dask_db, "SELECT status FROM runs") == [("completed",)]
    # the batches ran on the cluster (its scheduler lives in this process and saw the tasks)
    assert cluster.scheduler.task_prefixes, "no task reached the Dask scheduler"
