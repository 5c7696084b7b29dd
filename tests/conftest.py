"""Shared fixtures: the seed, its expected result, and one Prefect test server per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_cf23a9dec83e2434.txt"
SEED_EXPECTED = Path(__file__).parent / "data" / "000_cf23a9dec83e2434.expected.json"

# The temporary Prefect server keeps quiet and sends nothing anywhere.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def prefect_server():
    """A real (temporary) Prefect API for flow runs in tests, started once per session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that needs the Prefect server is slow whatever its own marks say: the server takes 10-40 s to
    start, so ``make test-fast`` (``-m "not slow"``) leaves such tests to ``make test``."""
    for item in items:
        if "prefect_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _plan_for_workers(items)


def _plan_for_workers(items: list[pytest.Item]) -> None:
    """``make test`` runs on pytest-xdist workers (``-n 2 --dist loadfile``), each with its own session
    fixtures (so its own Prefect test server). A test file is one unit of work: its tests run together on
    one worker in file order, so module-scoped fixtures (one expensive run, a deployed server, a built
    warehouse) are built once and tests that change their server's state (deployments) never meet it
    half-changed. (Per-test ``loadgroup`` would balance finer, but xdist 3.8's group marks have no effect
    under pytest 9.2's structured node ids.) Files are handed out busiest first, by their count of slow
    tests, so the long ones start at once and the quick files fill in at the end; within a file the order
    is the file's own. Run with ``--no-loadscope-reorder``, or xdist re-sorts files by their test count.
    """
    slow: dict[str, int] = {}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        path = item.nodeid.split("::", 1)[0]
        first.setdefault(path, index)
        slow[path] = slow.get(path, 0) + (item.get_closest_marker("slow") is not None)

    def busiest_first(item: pytest.Item) -> tuple[int, int]:
        path = item.nodeid.split("::", 1)[0]
        return -slow[path], first[path]

    items.sort(key=busiest_first)  # stable: each file keeps its own order
