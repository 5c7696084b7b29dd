"""sources.toml's ``language`` and ``site_profile`` reach the parser with each page of their source.

``language`` is a hint for pages that state none (the page's own ``lang``, ``og:locale`` or
Content-Language still win); ``site_profile`` names a profile applied to the source's pages
whatever host serves them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.http.weberrors import SourcesError
from flows.pool.stages import parse_pages
from flows.sources.config import Source, parse_sources
from flows.sources.files import RawPage, discover_files, read_file
from flows.sources.web import plan_inputs, read_warcs
from parsers import extract_article
from parsers.language import guess_language
from parsers.sites import load_profiles
from tests.web_server import Reply, Site, serve

# Results pages: names and figures, almost no function words, so no guess can name their language.
# Each page has its own figures, so none is a duplicate of another.
TEAMS = ["Bayern", "Dortmund", "Schalke", "Bochum", "Köln", "Mainz", "Bremen", "Hertha", "Freiburg", "Augsburg"]


def results(seed: int) -> str:
    rows = [f"<p>{TEAMS[(seed + n) % 10]} {seed * n % 7}:{(seed + n) % 5} {TEAMS[(seed * 3 + n) % 10]}, "
            f"{TEAMS[(n * 7) % 10]} {n}:{seed % 4} {TEAMS[(n + 5) % 10]}.</p>" for n in range(8)]  # fmt: skip
    return "".join(rows)


def no_lang(seed: int) -> str:
    head = f"<head><title>Tabelle {seed}</title></head>"
    return f"<html>{head}<body><article><h1>Liga</h1>{results(seed)}</article></body></html>"


def profiled(seed: int) -> str:
    return (
        f"<html><head><title>Generic title {seed} | Site</title></head><body><h1>Generic headline {seed}</h1>"
        "<div class='hed'>The profile's headline</div><span class='who'>Ada Lovelace</span>"
        f"<article>{results(seed)}</article></body></html>"
    )


NO_LANG = no_lang(1)
FRENCH = no_lang(2).replace("<html>", '<html lang="fr">')
PROFILED = profiled(3)
PROFILE = """domain = "paper.example"
[selectors]
title = "//div[@class='hed']"
authors = "//span[@class='who']"
"""


def _sources(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_page_states_no_language_so_the_hint_names_it() -> None:
    assert guess_language(extract_article(NO_LANG.encode()).body) is None  # the test's premise
    assert extract_article(NO_LANG.encode()).language is None
    assert extract_article(NO_LANG.encode(), language="de").language == "de"
    assert extract_article(FRENCH.encode(), language="de").language == "fr"


def test_content_language_header_outranks_the_hint() -> None:
    page = RawPage(uri="https://x.example/a", content=NO_LANG.encode(), input_source="s", fetched_at=datetime.now(UTC),
                   headers={"content-language": "it"}, language_hint="de")  # fmt: skip
    [record], _ = parse_pages([page])
    assert record.article.language == "it"
    [record], _ = parse_pages([replace(page, headers={})])
    assert record.article.language == "de"


def test_a_named_profile_applies_whatever_the_host(tmp_path: Path) -> None:
    (tmp_path / "paper.toml").write_text(PROFILE, encoding="utf-8")
    [profile] = load_profiles([tmp_path / "paper.toml"])
    elsewhere = "https://mirror.other.example/story"
    generic = extract_article(PROFILED.encode(), url=elsewhere)
    assert generic.title != "The profile's headline" and generic.authors != ["Ada Lovelace"]
    profiled = extract_article(PROFILED.encode(), url=elsewhere, profile=profile)
    assert profiled.title == "The profile's headline" and profiled.authors == ["Ada Lovelace"]


def test_sources_resolve_profiles_and_normalise_languages(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "paper.toml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "other.toml").write_text(PROFILE.replace("paper.example", "other.example"), encoding="utf-8")
    by_name, by_path = parse_sources(
        """
[[source]]
name = "a"
kind = "urls"
location = "a.txt"
site_profile = "paper"
language = "de-AT"

[[source]]
name = "b"
kind = "warc"
location = "b.warc.gz"
site_profile = "other.toml"
language = "DEU"
""",
        base_dir=tmp_path,
    )
    assert by_name.profile is not None and by_name.profile.domain == "paper.example" and by_name.language == "de"
    assert by_path.profile is not None and by_path.profile.domain == "other.example" and by_path.language == "de"


def test_warc_pages_carry_their_source_hints(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://mirror.example/a", "response", payload=BytesIO(PROFILED.encode()), http_headers=http
        ))  # fmt: skip
    (tmp_path / "paper.toml").write_text(PROFILE, encoding="utf-8")
    [profile] = load_profiles([tmp_path / "paper.toml"])
    source = Source(name="cc", kind="warc", location=str(path), language="de", profile=profile)
    [page] = read_warcs([source])
    assert isinstance(page, RawPage) and page.language_hint == "de" and page.site_profile == profile
    [record], _ = parse_pages([page])
    assert record.article.title == "The profile's headline" and record.article.language == "de"


def test_folder_pages_get_their_source_hints_from_the_plan(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(NO_LANG, encoding="utf-8")
    (tmp_path / "loose.html").write_text(NO_LANG, encoding="utf-8")
    sources = _sources(tmp_path, '[[source]]\nname = "disk"\nkind = "folder"\nlocation = "pages"\nlanguage = "de"\n')
    plan = plan_inputs(paths=[str(tmp_path / "loose.html")], sources_file=str(sources))
    files, _ = discover_files(plan.paths)
    pages = [plan.with_hints(page) for page in map(read_file, files)]
    hints = {Path(page.uri).name: page.language_hint for page in pages if isinstance(page, RawPage)}
    assert hints == {"loose.html": None, "a.html": "de"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('site_profile = "nowhere"', "no site profile 'nowhere'"),
        ('site_profile = "broken.toml"', "broken.toml"),
        ('language = "German"', "'language' must be a language code"),
    ],
)
def test_bad_hints_fail_before_anything_is_fetched(tmp_path: Path, extra: str, message: str) -> None:
    (tmp_path / "broken.toml").write_text("domain = 3", encoding="utf-8")
    with pytest.raises(SourcesError, match=message):
        parse_sources(f"[[source]]\nname='a'\nkind='urls'\nlocation='a.txt'\n{extra}\n", base_dir=tmp_path)


@pytest.mark.slow
def test_a_web_source_hints_reach_the_warehouse(prefect_server: None, tmp_path: Path) -> None:
    from flows.ingest import ingest

    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "paper.toml").write_text(PROFILE, encoding="utf-8")
    site = Site({"/robots.txt": Reply(404), "/no-lang": Reply.html(NO_LANG), "/fr": Reply.html(FRENCH),
                 "/story": Reply.html(PROFILED), "/plain": Reply.html(profiled(4)),
                 "/plain-no-lang": Reply.html(no_lang(5))})  # fmt: skip
    db = tmp_path / "news.duckdb"
    (tmp_path / "disk").mkdir()
    (tmp_path / "disk" / "folder-no-lang.html").write_text(no_lang(6), encoding="utf-8")
    with serve(site):
        (tmp_path / "hinted.txt").write_text(f"{site.url('/no-lang')}\n{site.url('/fr')}\n{site.url('/story')}\n")
        (tmp_path / "plain.txt").write_text(f"{site.url('/plain')}\n{site.url('/plain-no-lang')}\n")
        sources = _sources(tmp_path, """
[[source]]
name = "hinted"
kind = "urls"
location = "hinted.txt"
language = "de"
site_profile = "paper"

[[source]]
name = "plain"
kind = "urls"
location = "plain.txt"

[[source]]
name = "disk"
kind = "folder"
location = "disk"
language = "de"
""")  # fmt: skip
        ingest(sources_file=str(sources), db_path=str(db), allow_private_addresses=True,
               fetch_options={"delay": 0.0, "retries": 0})  # fmt: skip
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = {url.rsplit("/", 1)[1]: (lang, title, authors) for url, lang, title, authors in
                 con.execute("SELECT url, language, title, authors FROM articles").fetchall()}  # fmt: skip
        inputs = dict(con.execute("SELECT url, input_source FROM articles").fetchall())
    finally:
        con.close()
    assert found["no-lang"][0] == "de"
    assert found["folder-no-lang.html"][0] == "de"  # a folder source's pages get its hints too
    assert sorted(set(inputs.values())) == ["disk", "hinted", "plain"]  # every source's articles carry its name
    assert found["fr"][0] == "fr"
    assert found["story"][1:] == ("The profile's headline", ["Ada Lovelace"])
    # The same kind of page from a source without hints: no language, the generic title.
    assert found["plain"][1] != "The profile's headline"
    assert found["plain-no-lang"][0] is None
    assert set(found) == {"no-lang", "fr", "story", "plain", "plain-no-lang", "folder-no-lang.html"}

    # Re-extracting the archive, offline, applies each source's hints again.
    from flows.reparse import reparse

    con = duckdb.connect(str(db))
    # As an older parser without the hints left them: the text differs, so each article is replaced.
    con.execute("UPDATE articles SET language = NULL, title = NULL, content_hash = 'older parser'"
                " WHERE input_source <> 'disk'")  # the fetched pages, which the archive holds
    con.close()
    reparse(db_path=str(db), sources_file=str(sources))
    con = duckdb.connect(str(db), read_only=True)
    try:
        again = {url.rsplit("/", 1)[1]: (lang, title, authors) for url, lang, title, authors in
                 con.execute("SELECT url, language, title, authors FROM articles").fetchall()}  # fmt: skip
    finally:
        con.close()
    assert again == found
