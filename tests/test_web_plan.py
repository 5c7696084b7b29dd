"""flows.sources.web: what a run reads, and which URLs the web sources name (no Prefect needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.http.fetch import FetchSession, Politeness
from flows.http.weberrors import SourcesError
from flows.sources.config import Source
from flows.sources.web import discover_targets, fetch_config, plan_inputs
from tests.web_server import Reply, Site, serve


def test_plan_defaults_to_sources_toml_then_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourcesError, match="nothing to ingest"):  # no ./seeds either: not a silent empty run
        plan_inputs()
    (tmp_path / "seeds").mkdir()
    assert plan_inputs().paths == ["seeds"]
    (tmp_path / "sources.toml").write_text("# no sources yet\n")
    with pytest.raises(SourcesError, match="no \\[\\[source\\]\\] tables"):  # not a fall-back to seeds
        plan_inputs()
    (tmp_path / "sources.toml").write_text('[[source]]\nname="mine"\nkind="folder"\nlocation="pages"\n')
    assert plan_inputs().paths == ["pages"]
    (tmp_path / "empty.toml").write_text("")
    with pytest.raises(SourcesError, match="empty.toml: no"):
        plan_inputs(sources_file="empty.toml")
    plan = plan_inputs(paths=["a", "b/cc.warc.gz", "c.WARC"], feeds=["https://e.example/rss"])
    assert plan.paths == ["a"] and [w.location for w in plan.warcs] == ["b/cc.warc.gz", "c.WARC"]
    assert [s.kind for s in plan.web] == ["feed"]
    assert plan.labels() == ["a", "warc:b/cc.warc.gz", "warc:c.WARC", "feed:https://e.example/rss"]


def test_fetch_config_from_flat_options() -> None:
    config = fetch_config({"concurrency": 1, "delay": 0.5, "retries": 0}, allow_private=True)
    assert config.politeness == Politeness(concurrency=1, delay=0.5) and config.retries == 0
    assert config.allow_private_addresses
    with pytest.raises(ValueError, match="unknown fetch options"):
        fetch_config({"retry": 3})


def _feed(site: Site, items: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<item><link>{site.url(p)}</link><pubDate>{d}</pubDate></item>" for p, d in items)
    return f"<rss><channel>{body}</channel></rss>".encode()


def test_max_pages_keeps_the_newest_and_a_url_named_twice_is_fetched_once(tmp_path: Path) -> None:
    with serve(Site()) as site:
        site.routes["/feed"] = Reply(body=_feed(site, [
            ("/old", "Mon, 02 Nov 2026 10:00:00 GMT"),
            ("/new", "Sun, 29 Nov 2026 10:00:00 GMT"),
            ("/mid", "Sun, 15 Nov 2026 10:00:00 GMT"),
        ]))  # fmt: skip
        listing = tmp_path / "urls.txt"
        listing.write_text(f"{site.url('/new')}?utm_source=x\n{site.url('/extra')}\n")
        sources = [
            Source(name="feed", kind="feed", location=site.url("/feed"), max_pages=2, concurrency=1,
                   allow_private_addresses=True),
            Source(name="list", kind="urls", location=str(listing)),
            Source(name="gone", kind="urls", location=str(tmp_path / "missing.txt")),
        ]  # fmt: skip
        with FetchSession(fetch_config({"delay": 0})) as session:
            targets, rejects = discover_targets(sources, session=session)
    assert [(t.url, t.input_source) for t in targets] == [
        (site.url("/new"), "feed"),
        (site.url("/mid"), "feed"),
        (site.url("/extra"), "list"),
    ]
    assert targets[0].politeness == Politeness(concurrency=1, delay=0) and targets[0].allow_private
    assert not targets[2].allow_private  # only the feed source allows private addresses
    assert [(r.input_source, r.reason) for r in rejects] == [("gone", "path_not_found")]


def test_fetch_batches_take_hosts_in_turn() -> None:
    from flows.sources.web import Target
    from flows.sources.website import round_robin

    targets = [Target(f"https://{host}/{n}", host) for host in ("a.example", "b.example") for n in range(3)]
    targets.append(Target("https://c.example/0", "c"))
    assert [t.url for t in round_robin(targets)] == [
        "https://a.example/0", "https://b.example/0", "https://c.example/0",
        "https://a.example/1", "https://b.example/1",
        "https://a.example/2", "https://b.example/2",
    ]  # fmt: skip
