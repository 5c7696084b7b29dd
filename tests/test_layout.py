"""The shape issue 15 gave ``flows/``: rooms with a docstring each, no module reaching into another's
private names, and an ingest flow that reads in one screen. Read from the source, nothing run."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from tests.conftest import ROOT

FLOWS = ROOT / "flows"


def _modules() -> list[Path]:
    return sorted(path for path in FLOWS.rglob("*.py") if "__pycache__" not in path.parts)


def test_each_room_says_what_it_owns() -> None:
    for room in ("flows", "flows.http", "flows.sources", "flows.pool"):
        doc = importlib.import_module(room).__doc__ or ""
        assert doc.strip(), f"{room} has no docstring"


def test_no_flows_module_imports_another_modules_private_names() -> None:
    offences = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("flows", "warehouse"):
                offences += [
                    f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    assert offences == []


def test_the_ingest_flow_reads_in_one_screen() -> None:
    tree = ast.parse((FLOWS / "ingest.py").read_text(encoding="utf-8"))
    [ingest] = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "ingest"]
    assert ingest.end_lineno is not None
    assert ingest.end_lineno - ingest.lineno + 1 <= 60
