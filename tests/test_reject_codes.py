"""Reject stages and reasons: one catalogue (``warehouse.reject_codes``), the tables that match it, and
code paths that make no reason outside it. The table checks run on a real DuckDB file; the code checks
read the source and the exception families, nothing mocked."""

from __future__ import annotations

import ast
import importlib
import pickle
import pkgutil
import re
from pathlib import Path

import pytest

import parsers
from flows.http import weberrors
from parsers.errors import ParseError
from tests.conftest import ROOT
from warehouse import Reject, connect, load_batch
from warehouse.reject_codes import (
    HTTPStatusReason,
    RejectReason,
    RejectStage,
    reason_rows,
    reject_reason,
)

HTTP_SAMPLES = (0, 200, 304, 404, 410, 429, 451, 503, 999)  # statuses as a server or an archive may give them
# The README's join: each reject's stage and reason to the one row that says what it means.
EXPLAIN = (
    "SELECT r.stage, r.reason, count(m.description) AS rows, any_value(m.description) AS description"
    " FROM rejects r LEFT JOIN reject_reasons m ON m.stage = r.stage AND r.reason LIKE m.reason"
    " GROUP BY ALL ORDER BY ALL"
)


def _producible() -> list[tuple[RejectStage, str]]:
    """Every stage and reason a reject can be made with: the members at their stages, the family at samples."""
    pairs: list[tuple[RejectStage, str]] = [(stage, reason) for reason in RejectReason for stage in reason.stages]
    pairs += [(stage, RejectReason.http_status(code)) for code in HTTP_SAMPLES for stage in HTTPStatusReason.stages]
    return pairs


# -- the schema matches the catalogue ---------------------------------------------------------


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    """One new warehouse for the checks below; a test that writes rows rolls them back."""
    connection = connect(tmp_path_factory.mktemp("codes") / "news.duckdb")
    yield connection
    connection.close()


def _insert_rejects(con, rows: list[tuple[str, str, str]]) -> None:
    """(uri, stage, reason) rows in one statement (load_batch binds rejects one by one: 3 s for these)."""
    values = ", ".join(["(?, 's', ?, ?, '', 'r1', 'r1', now())"] * len(rows))
    con.execute(f"INSERT INTO rejects VALUES {values}", [value for row in rows for value in row])


def test_the_reject_reasons_table_is_the_catalogue(con):
    table = set(con.execute("SELECT reason, stage, family, description FROM reject_reasons").fetchall())
    assert len(table) == con.execute("SELECT count(*) FROM reject_reasons").fetchone()[0]  # no row twice
    declared = {(row.reason, row.stage.value, row.family, row.description) for row in reason_rows()}
    # A reason added or reworded in warehouse.reject_codes needs a new migration that writes its rows.
    assert table - declared == set(), "rows the catalogue no longer declares"
    assert declared - table == set(), "rows a new migration must add to reject_reasons"
    stages = {row[0] for row in con.execute("SELECT stage FROM reject_stages").fetchall()}
    assert stages == {stage.value for stage in RejectStage}


def test_every_reject_a_run_can_make_joins_to_exactly_one_meaning(con):
    rejects = [Reject(f"u{n}", "s", stage, reason) for n, (stage, reason) in enumerate(_producible())]
    con.execute("BEGIN")
    try:
        _insert_rejects(con, [(r.uri, r.stage, r.reason) for r in rejects])
        explained = con.execute(EXPLAIN).fetchall()
    finally:
        con.execute("ROLLBACK")
    assert len(explained) == len(set(_producible()))
    descriptions = {reason.value: reason.description for reason in RejectReason}
    for stage, reason, rows, description in explained:
        assert rows == 1, (stage, reason)  # no code is caught by another's pattern
        assert description == (HTTPStatusReason.description if reason.startswith("http_") else descriptions[reason])


def test_the_readmes_query_explains_each_reject(con):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = readme.split("-- What does each reason mean?", 1)[1].split("\n", 1)[1].split(";", 1)[0]
    con.execute("BEGIN")
    try:
        _insert_rejects(con, [("u1", "fetch", "http_404"), ("u2", "fetch", "http_404"), ("u3", "read", "too_large")])
        rows = con.execute(query).fetchall()
    finally:
        con.execute("ROLLBACK")
    assert rows == [
        ("fetch", "http_404", 2, HTTPStatusReason.description),
        ("read", "too_large", 1, RejectReason.TOO_LARGE.description),
    ]


def test_a_reason_at_a_stage_it_does_not_occur_at_finds_no_meaning(con):
    con.execute("BEGIN")
    try:  # written straight into the table: a Reject refuses both (below)
        _insert_rejects(con, [("u1", "parse", "http_404"), ("u2", "fetch", "empty_document")])
        assert [row[2] for row in con.execute(EXPLAIN).fetchall()] == [0, 0]
    finally:
        con.execute("ROLLBACK")


def test_the_lookup_is_a_view_with_nothing_for_a_batch_to_carry(con):
    # Data pages and indexes cost a batch's memory budget (tests/test_warehouse.py); a lookup needs neither.
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'reject_reasons'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reject_reasons'").fetchone()[0] == 0
    keys = "SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? AND constraint_type = ?"
    for kind in ("PRIMARY KEY", "UNIQUE", "FOREIGN KEY"):
        assert con.execute(keys, ["reject_reasons", kind]).fetchone()[0] == 0
    assert con.execute(keys, ["rejects", "FOREIGN KEY"]).fetchone()[0] == 0  # rejects as it was
    assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'reject_reasons'").fetchone()[0] == 0


def test_a_warehouse_from_before_the_table_gains_it_and_keeps_its_rejects(tmp_path):
    path = tmp_path / "news.duckdb"
    con = connect(path)
    load_batch(con, run_id="r1", articles=[], rejects=[
        Reject("https://a.example/gone", "web", "fetch", "http_404", "HTTP 404"),
        Reject("big.html", "folder", "read", "too_large", "over the limit"),
        Reject("page.html", "folder", "parse", "empty_document", "page is empty"),
    ])  # fmt: skip
    before = con.execute("SELECT * FROM rejects ORDER BY ALL").fetchall()
    con.execute("DROP VIEW reject_reasons; DELETE FROM schema_migrations WHERE version = 88")  # as 087 left it
    con.close()
    con = connect(path)  # migrates
    try:
        assert con.execute("SELECT * FROM rejects ORDER BY ALL").fetchall() == before
        explained = {(stage, reason): description for stage, reason, _, description in con.execute(EXPLAIN).fetchall()}
    finally:
        con.close()
    assert explained == {
        ("fetch", "http_404"): HTTPStatusReason.description,
        ("parse", "empty_document"): RejectReason.EMPTY_DOCUMENT.description,
        ("read", "too_large"): RejectReason.TOO_LARGE.description,
    }


# -- the catalogue's types --------------------------------------------------------------------


def test_http_status_reasons_are_made_from_a_status_and_checked():
    reason = RejectReason.http_status(404)
    assert (reason, reason.status, type(reason)) == ("http_404", 404, HTTPStatusReason)
    assert pickle.loads(pickle.dumps(reason)) == reason  # rejects travel from worker processes
    assert type(pickle.loads(pickle.dumps(reason))) is HTTPStatusReason
    assert reject_reason("http_0") == RejectReason.http_status(0)  # an archived response without one
    for bad in (-1, 42, 1000, True, "404", 404.0):
        with pytest.raises(ValueError):
            RejectReason.http_status(bad)  # type: ignore[arg-type]
    for code in ("http_", "http_04", "http_1000", "http_abc", "HTTP_404"):
        with pytest.raises(ValueError):
            reject_reason(code)


def test_not_a_names_a_declared_reason_only():
    assert [RejectReason.not_a(what) for what in ("file", "feed", "sitemap")] == [
        RejectReason.NOT_A_FILE, RejectReason.NOT_A_FEED, RejectReason.NOT_A_SITEMAP,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        RejectReason.not_a("page")


def test_each_code_reads_back_as_its_reason():
    for reason in RejectReason:
        assert reject_reason(reason.value) is reason
        assert reason.stages and reason.description and "\n" not in reason.description
    assert len({reason.value for reason in RejectReason}) == len(RejectReason)


def test_a_reject_takes_only_a_declared_reason_at_a_stage_it_occurs_at():
    made = Reject("u", "s", "read", "http_404")
    assert (made.stage, made.reason, type(made.reason)) == (RejectStage.READ, "http_404", HTTPStatusReason)
    assert Reject("u", "s", "parse", "empty_document").reason is RejectReason.EMPTY_DOCUMENT
    with pytest.raises(ValueError, match="no reject reason"):
        Reject("u", "s", "parse", "empty_page")
    with pytest.raises(ValueError, match="no reason at stage"):
        Reject("u", "s", "parse", "http_404")
    with pytest.raises(ValueError):
        Reject("u", "s", "parsing", "empty_document")


# -- no code path makes a reason outside the catalogue ----------------------------------------


def _web_errors() -> list[type[weberrors.WebError]]:
    found, todo = [], [weberrors.WebError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def test_each_web_error_that_names_a_reason_names_a_declared_one():
    for cls in _web_errors():
        reason = cls.__dict__.get("reason")
        if reason is not None:
            assert isinstance(reason, RejectReason), cls
            assert RejectStage.FETCH in reason.stages, cls  # every kind can end a page's fetch
    # The kinds raised as they are must be given a reason where they are raised (see the source check).
    bases = {"WebError", "UnsafeURL", "FetchError", "TransientFetchError", "DiscoveryError", "SourcesError"}
    assert _unnamed() == bases
    assert weberrors.HTTPStatus(503).reason == RejectReason.http_status(503)


def _unnamed() -> set[str]:
    """The web errors that name no reason of their own (``HTTPStatus`` makes its one from the status)."""
    return {cls.__name__ for cls in _web_errors() if not hasattr(cls, "reason")} - {"HTTPStatus"}


def test_each_parse_error_names_a_declared_parse_reason():
    for module in pkgutil.walk_packages(parsers.__path__, "parsers."):  # every subclass, wherever it is defined
        importlib.import_module(module.name)
    kinds, todo = [], list(ParseError.__subclasses__())
    while todo:
        cls = todo.pop()
        kinds.append(cls)
        todo += cls.__subclasses__()
    assert {cls.__name__ for cls in kinds} >= {"EmptyDocument", "UnsupportedContent", "DocumentTooLarge"}
    for cls in kinds:
        assert RejectStage.PARSE in reject_reason(cls.reason).stages, cls
    assert not hasattr(ParseError, "reason")  # raised bare it would have no reason: each kind names one


def _producer_sources() -> list[Path]:
    """Every module that makes rejects or the errors behind them; the catalogue itself excepted."""
    paths = [*sorted((ROOT / "flows").rglob("*.py")), *sorted((ROOT / "warehouse").rglob("*.py"))]
    return [path for path in paths if "__pycache__" not in path.parts and path.name != "reject_codes.py"]


def _could_be_a_reason(node: ast.AST, codes: set[str]) -> bool:
    """A string literal that is a reason's code, or an f-string that could make one ("http_{status}")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value in codes
    if isinstance(node, ast.JoinedStr):
        literal = [part.value for part in node.values if isinstance(part, ast.Constant)]
        if not any(re.search(r"[a-z_]", str(text)) for text in literal):
            return False  # f"{when:%Y}" and the like: no fixed part that a code could share
        shape = "".join(re.escape(str(part.value)) if isinstance(part, ast.Constant) else ".+" for part in node.values)
        return any(re.fullmatch(shape, code) for code in codes)
    return False


def test_no_code_path_spells_a_reason_as_a_bare_string():
    codes = {reason.value for reason in RejectReason} | {RejectReason.http_status(code) for code in HTTP_SAMPLES}
    offences = []
    for path in _producer_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _could_be_a_reason(node, codes):
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert offences == [], "use warehouse.reject_codes.RejectReason"


def test_the_source_check_catches_the_ways_reasons_were_spelled():
    codes = {reason.value for reason in RejectReason} | {"http_404"}
    spelled = ['"too_large"', 'f"http_{status}"', 'f"not_a_{what}"', 'f"{stage}_crashed"']  # as main had them
    assert all(_could_be_a_reason(ast.parse(text, mode="eval").body, codes) for text in spelled)
    fine = ['"text/html"', 'f"{when:%Y-%m-%d}"', 'f"HTTP {status}"', 'f"over {n} bytes"', '"large"']
    assert not any(_could_be_a_reason(ast.parse(text, mode="eval").body, codes) for text in fine)


def test_base_web_errors_are_raised_with_a_reason():
    bases = _unnamed() - {"SourcesError"}  # not about a page: it never becomes a reject
    offences = []
    for path in _producer_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in bases:
                if not any(keyword.arg == "reason" for keyword in node.keywords):
                    offences.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id} without a reason")
    assert offences == []


def test_every_declared_reason_is_made_somewhere():
    """No stale entries: each member is named by the code that makes it (or is a parse error's code)."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in _producer_sources())
    parse_codes = {cls.reason for cls in ParseError.__subclasses__()}
    unused = []
    for reason in RejectReason:
        named = f"RejectReason.{reason.name}" in text or reason.value in parse_codes
        kind = reason.value.removeprefix("not_a_")
        made_by_family = reason.value.startswith("not_a_") and (f'not_a("{kind}")' in text or f'what="{kind}"' in text)
        if not (named or made_by_family):
            unused.append(reason.value)
    assert unused == []
