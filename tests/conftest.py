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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs the Prefect server is slow whatever its own marks say: the server takes 10-40 s to
    start, so ``make test-fast`` (``-m "not slow"``) leaves such tests to ``make test``."""
    for item in items:
        if "prefect_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
