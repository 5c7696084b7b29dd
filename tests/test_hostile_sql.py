"""SQL built by the code binds every value; names and URLs with quotes and semicolons are stored verbatim."""

from __future__ import annotations

import ast
from pathlib import Path

import duckdb
import pytest

from parsers import extract_article
from tests.conftest import ROOT
from tests.proc_helpers import synthetic_pages
from warehouse import ArticleRecord, Reject, connect, load_batch, start_run

HOSTILE = [
    "src'; DROP TABLE articles; --",
    'quote " and \' and ; and \\ and `',
    "https://example.org/a?q=1';DELETE FROM runs;--&x=\"y\"",
    "名前; SELECT 1 /* */ -- \n second line",
]
SQL_METHODS = {"execute", "executemany", "sql", "query"}
# Only generated identifiers may be spliced into SQL text (registered scan views, "?, ?, ?" lists),
# and the module's own constant SQL fragments.
SPLICE_OK = {"name", "ids", "rows", "placeholders"}
# Statements DuckDB takes no parameters in (COPY ... TO, LOAD): reviewed one by one.
REVIEWED = {
    ("warehouse/export.py", "query"): "a constant of the module's EXPORTS",
    ("warehouse/export.py", "target"): "COPY TO takes no parameter: the path is quoted, ' doubled (tested below)",
    ("warehouse/search.py", "fts_extension_path()"): "LOAD takes no parameter: the installed package's file",
}


def _spliced_names(node: ast.AST) -> list[str]:
    """Names interpolated into an f-string or ``.format`` call used as SQL text."""
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.FormattedValue):
            found.append(sub.value.id if isinstance(sub.value, ast.Name) else ast.unparse(sub.value))
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "format":
            found += [kw.arg or "**" for kw in sub.keywords] + [ast.unparse(a) for a in sub.args]
    return found


@pytest.mark.parametrize("package", ["warehouse", "flows"])
def test_sql_text_never_splices_values(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for target in node.targets if isinstance(target, ast.Name)
        }
        allowed = SPLICE_OK | constants | {f"{c}.format" for c in constants}
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr in SQL_METHODS and call.args):
                continue
            for name in _spliced_names(call.args[0]):
                if name.split("(")[0] not in allowed and (path.relative_to(ROOT).as_posix(), name) not in REVIEWED:
                    offenders.append(f"{path.relative_to(ROOT)}:{call.lineno}: {name}")
    assert not offenders, "values spliced into SQL text:\n" + "\n".join(offenders)


def test_hostile_names_and_urls_are_stored_verbatim(tmp_path):
    page = next(synthetic_pages(tmp_path / "pages", 1).glob("*.html")).read_bytes()
    con = connect(tmp_path / "news.duckdb")
    start_run(con, run_id=HOSTILE[0], name=HOSTILE[1], inputs=HOSTILE)
    records = []
    for n, text in enumerate(HOSTILE):
        url = f"https://example.org/{n}?{text}"
        article = extract_article(page.replace(b"report 000", f"report {n}".encode()), url=url)
        records.append(ArticleRecord(uri=url, input_source=text, article=article))
    rejects = [
        Reject(uri=text, input_source=text, stage="parse", reason="empty_document", detail=text) for text in HOSTILE
    ]
    load_batch(con, run_id=HOSTILE[0], articles=records, rejects=rejects)

    assert sorted(r[0] for r in con.execute("SELECT input_source FROM articles").fetchall()) == sorted(HOSTILE)
    assert sorted(r[0] for r in con.execute("SELECT url FROM articles").fetchall()) == sorted(
        record.uri for record in records
    )
    assert sorted(con.execute("SELECT uri, input_source, detail FROM rejects").fetchall()) == sorted(
        (text, text, text) for text in HOSTILE
    )
    run = con.execute("SELECT run_id, flow_run_name, inputs FROM runs").fetchone()
    assert run == (HOSTILE[0], HOSTILE[1], HOSTILE)
    tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"articles", "runs", "rejects"} <= tables
    con.close()


def test_sql_command_is_read_only(tmp_path):
    from warehouse import connect_read_only

    db = tmp_path / "news.duckdb"
    connect(db).close()
    con = connect_read_only(db)
    with pytest.raises(duckdb.Error, match="(?i)read.only"):
        con.execute("DROP TABLE articles")
    con.close()
    assert Path(db).exists()


def test_export_to_a_folder_with_quotes_and_semicolons(tmp_path):
    from warehouse.export import export_parquet

    con = connect(tmp_path / "news.duckdb")
    target = tmp_path / "it's; DROP TABLE articles; --"
    export_parquet(con, target)
    assert target.is_dir() and con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    con.close()


# ``newsingest sql`` runs SQL a user typed: each of these must fail and leave everything outside as it was.
OUTSIDE_STATEMENTS = {
    "attach_other_db": "ATTACH '{other}' AS v (READ_WRITE); DELETE FROM v.articles",
    "copy_to_file": "COPY articles TO '{leak}'",
    "copy_query_to_parquet": "COPY (SELECT * FROM articles) TO '{leak}.parquet' (FORMAT parquet)",
    "export_database": "EXPORT DATABASE '{leak}.dir'",
    "install_extension": "INSTALL httpfs",
    "load_extension": "LOAD httpfs",
    "read_csv_outside": "SELECT * FROM read_csv('{secret}')",
    "read_text_outside": "SELECT * FROM read_text('{secret}')",
    "glob_outside": "SELECT * FROM glob('{outside}/*')",
    "url_scan": "SELECT * FROM 'https://example.org/data.csv'",
    "unlock_access": "SET enable_external_access = true",
    "unlock_configuration": "SET lock_configuration = false",
    "write_the_warehouse": "DELETE FROM articles",
    "drop_a_table": "DROP TABLE runs",
}


@pytest.fixture(scope="module")
def sql_target(tmp_path_factory):
    """A warehouse with one article, another warehouse beside it, a secret file outside both."""
    root = tmp_path_factory.mktemp("sql")
    page = next(synthetic_pages(root / "pages", 1).glob("*.html")).read_bytes()
    db, other = root / "news.duckdb", root / "other" / "news.duckdb"
    for path in (db, other):
        con = connect(path)
        article = extract_article(page, url="https://example.org/1")
        start_run(con, run_id="r", name="r", inputs=["x"])
        load_batch(con, run_id="r", articles=[ArticleRecord(uri=article.url or "", input_source="x",
                                                            article=article)], rejects=[])
        con.close()
    (root / "outside").mkdir()
    secret = root / "outside" / "secret.csv"
    secret.write_text("user,password\nalice,hunter2\n")
    return root, db, other, secret


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(OUTSIDE_STATEMENTS))
def test_sql_reaches_nothing_outside_the_warehouse(sql_target, name):
    from tests.proc_helpers import newsingest

    root, db, other, secret = sql_target
    before = _files(root)
    statement = OUTSIDE_STATEMENTS[name].format(
        other=other, leak=root / "leak.csv", secret=secret, outside=secret.parent
    )
    result = newsingest("sql", statement, "--db", str(db), timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsingest sql: refused ("), result.stderr
    assert "hunter2" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert _files(root) == before  # nothing written, deleted or created, here or in the other warehouse


def test_search_articles_still_works_in_sql(sql_target):
    from tests.proc_helpers import newsingest

    _, db, _, _ = sql_target
    query = "SELECT 'hits=' || count(*) AS h FROM search_articles('Biden')"
    result = newsingest("sql", query, "--db", str(db), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "hits=1" in result.stdout  # the one article names Joe Biden
    missing = newsingest("sql", query.replace("Biden", "Zanzibar"), "--db", str(db), timeout=120)
    assert "hits=0" in missing.stdout, missing.stderr
