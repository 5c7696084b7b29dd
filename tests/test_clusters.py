"""Story clusters: MinHash similarity on pairs, and the seed's syndicated copy in the seed's cluster."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest

from flows.pool.stages import parse_pages
from flows.sources.files import RawPage
from parsers.article import Article
from parsers.minhash import BANDS, PERMUTATIONS, band_keys, signature, similarity
from tests.conftest import SEED_EXPECTED, SEED_FILE
from warehouse import ArticleRecord, connect, load_batch
from warehouse.clusters import THRESHOLD

SEED_BODY = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))["body"]

# Another story on the same topic (US sanctions on Russia over Crimea), written apart: same names, other words.
SAME_TOPIC = """\
The European Union on Monday extended its economic sanctions against Russia for another six months, \
diplomats in Brussels said, citing Moscow's annexation of Crimea and its role in eastern Ukraine.

The measures, first imposed in 2014, restrict Russian state banks' access to European capital markets \
and ban exports of some oil technology. Washington has kept its own list of penalties in place.

Kremlin spokesman Dmitry Peskov said Russia regretted the decision and would respond in kind. \
The US Treasury Department declined to comment on the European move.

Trade between Russia and the bloc has fallen by almost half since the sanctions began, according to \
figures from the European Commission."""


def _edited_copy(body: str) -> str:
    """A lightly edited first paragraph, as a syndicating site might rewrite the lede."""
    first, rest = body.split("\n\n", 1)
    first = first.replace("The US government will continue", "Washington will keep up").replace(
        "says the US State Department", "the State Department said on Wednesday"
    )
    return first + "\n\n" + rest


def test_signatures_are_deterministic_and_sized():
    a, b = signature(SEED_BODY), signature(SEED_BODY)
    assert a.shape == (PERMUTATIONS,) and a.dtype == np.uint32
    assert np.array_equal(a, b) and similarity(a, b) == 1.0
    assert len(band_keys(a)) == BANDS
    assert similarity(signature(""), signature("")) == 0.0 and band_keys(signature("")) == []


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        (SEED_BODY, _edited_copy(SEED_BODY), True),
        (SEED_BODY, "Share this story\n\n" + _edited_copy(SEED_BODY) + "\n\nMost read today\n\nSubscribe now", True),
        (SEED_BODY, SEED_BODY.rsplit("\n\n", 2)[0], True),  # the last two paragraphs cut
        (SEED_BODY, SEED_BODY.upper(), True),  # case is no difference
        (SEED_BODY, SAME_TOPIC, False),
        (SEED_BODY, SEED_BODY.split("\n\n", 1)[0], False),  # only the lede: a teaser, not the story
        (SAME_TOPIC, "Completely unrelated text about football and the weather in Madrid this weekend.", False),
    ],
)
def test_pairs_against_the_threshold(left, right, same):
    score = similarity(signature(left), signature(right))
    assert (score >= THRESHOLD) is same, score
    if same:  # found by an LSH bucket, not only by the score
        assert set(band_keys(signature(left))) & set(band_keys(signature(right)))


def _page(uri: str, text: str) -> RawPage:
    return RawPage(uri=uri, content=text.encode("utf-8"), input_source="test", fetched_at=datetime.now(UTC))


def test_seed_and_its_edited_copy_are_one_cluster_another_story_is_not(tmp_path):
    seed_text = SEED_FILE.read_text(encoding="utf-8")
    lines = seed_text.split("\n")
    # Other furniture at top and bottom, and the lede rewritten.
    copy_text = "\n".join(
        ["Home | World | Business | Sport", "", "Advertisement", "", *lines[2:]]
    ).replace("Join the mailing list", "Follow us on Twitter\n\nRelated stories")
    copy_text = copy_text.replace(SEED_BODY.split("\n\n", 1)[0], _edited_copy(SEED_BODY).split("\n\n", 1)[0])
    other_text = "\n".join([*lines[:6], "Wed Dec 21, 2016 9:40PM", "", SAME_TOPIC, "", "Join the mailing list"])
    records, rejects = parse_pages([_page("seed.txt", seed_text), _page("copy.txt", copy_text),
                                    _page("other.txt", other_text)])
    assert not rejects
    assert records[0].article.body != records[1].article.body  # not an exact duplicate
    con = connect(tmp_path / "news.duckdb")
    load_batch(con, run_id="r1", articles=records[:1])
    load_batch(con, run_id="r2", articles=records[1:])
    clusters = dict(con.execute("SELECT url, cluster_id FROM articles").fetchall())
    assert clusters["copy.txt"] == clusters["seed.txt"] != clusters["other.txt"]
    row = con.execute("SELECT articles, first_seen_source, first_seen_at FROM clusters"
                      " WHERE cluster_id = ?", [clusters["seed.txt"]]).fetchone()
    assert row == (2, "Iran Press TV", datetime(2016, 12, 21, 18, 13))
    # A second run changes nothing.
    load_batch(con, run_id="r3", articles=records)
    assert dict(con.execute("SELECT url, cluster_id FROM articles").fetchall()) == clusters
    con.close()


def test_clusters_form_within_one_batch_and_a_changed_article_is_reclustered(tmp_path):
    def record(url: str, body: str) -> ArticleRecord:
        return ArticleRecord(uri=url, input_source="t", article=Article(title="T", body=body, url=url))

    con = connect(tmp_path / "news.duckdb")
    load_batch(con, run_id="r1", articles=[record("a", SEED_BODY), record("b", _edited_copy(SEED_BODY)),
                                           record("c", SAME_TOPIC)])
    first = dict(con.execute("SELECT url, cluster_id FROM articles").fetchall())
    assert first["a"] == first["b"] != first["c"]
    load_batch(con, run_id="r2", articles=[record("b", SAME_TOPIC + "\n\nUpdated at noon.")])
    second = dict(con.execute("SELECT url, cluster_id FROM articles").fetchall())
    assert second["b"] == second["c"] == first["c"] and second["a"] == first["a"]
    assert con.execute("SELECT count(*) FROM article_signatures").fetchone()[0] == 3
    con.close()
