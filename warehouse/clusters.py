"""Story clusters: articles that tell the same story, syndicated or lightly edited, share a ``cluster_id``.

At load time, inside the batch's transaction, each new article gets a MinHash
signature of its title and body (``parsers.minhash``: 5-word shingles, 126
permutations, 42 LSH bands of 3 rows). Articles already loaded (or earlier in
the batch) that share an LSH bucket with it are candidates; the candidate with
the highest estimated Jaccard similarity, if it reaches ``THRESHOLD``, gives the
new article its cluster. Otherwise the article starts a cluster whose id is its
own ``article_id``.

Why 0.5: a syndicated copy with other page furniture and an edited first
paragraph keeps most of its 5-word shingles (0.8-0.95 measured on the seed),
while two different stories on the same topic share almost none (below 0.05:
the same names and phrases, rarely five words in a row). Anything between is
a rewrite, which is a different article. Over all pairs of the 236 corpus
articles the highest score is 0.15 (two press releases of one company), and two
outlets' own reports of one event score 0.02-0.04. Exact copies never get this far:
the loader records them as ``duplicates`` by content hash.

An article keeps its cluster until its text changes; clusters never merge
after the fact, so a cluster id, once given, stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import duckdb
import numpy as np

from parsers.minhash import PERMUTATIONS, band_keys, shingle_hashes, signature, similarity
from warehouse.columns import register_columns

__all__ = ["THRESHOLD", "assign_clusters", "cluster_unassigned", "text_of"]

THRESHOLD = 0.5


def text_of(title: str | None, body: str) -> str:
    """What the signature covers: the headline and the body."""
    return f"{title or ''}\n\n{body}"


def assign_clusters(con: duckdb.DuckDBPyConnection, articles: Sequence[tuple[str, str | None, str]]) -> dict[str, str]:
    """Give each new or changed article ``(article_id, title, body)`` a cluster; returns id -> cluster id.

    Runs inside the caller's transaction; articles are taken in the order given.
    """
    if not articles:
        return {}
    ids = [article_id for article_id, _, _ in articles]
    _forget(con, ids)
    signatures = [signature(text_of(title, body)) for _, title, body in articles]
    sizes = [len(shingle_hashes(text_of(title, body))) for _, title, body in articles]
    buckets = [band_keys(sig) for sig in signatures]
    stored = _stored_candidates(con, ids, buckets)

    cluster_of: dict[str, str] = {}
    batch_buckets: defaultdict[int, list[int]] = defaultdict(list)  # bucket -> batch positions
    for i, article_id in enumerate(ids):
        best: tuple[float, str] | None = None
        for other_sig, other_cluster in stored.get(article_id, {}).values():
            score = similarity(signatures[i], other_sig)
            if score >= THRESHOLD and (best is None or score > best[0]):
                best = (score, other_cluster)
        for j in {j for bucket in buckets[i] for j in batch_buckets.get(bucket, [])}:
            score = similarity(signatures[i], signatures[j])
            if score >= THRESHOLD and (best is None or score > best[0]):
                best = (score, cluster_of[ids[j]])
        cluster_of[article_id] = best[1] if best else article_id
        for bucket in buckets[i]:
            batch_buckets[bucket].append(i)

    _write(con, ids, signatures, sizes, buckets, cluster_of)
    return cluster_of


def cluster_unassigned(con: duckdb.DuckDBPyConnection) -> int:
    """Cluster articles loaded before clusters existed (migration 031), oldest first; returns how many."""
    rows = con.execute(
        "SELECT article_id, title, body FROM articles WHERE cluster_id IS NULL ORDER BY loaded_at, article_id"
    ).fetchall()
    if not rows:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        assign_clusters(con, rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def _forget(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Drop the old signature and buckets of changed articles, so they are not their own candidates."""
    name = register_columns(con, article_id=list(article_ids))
    try:
        # Only articles clustered before have rows to drop: looking them up in article_signatures (one
        # row per article) spares new articles, the usual case, a scan of article_buckets (42 per article).
        stale = con.execute(
            f"SELECT article_id FROM article_signatures WHERE article_id IN (SELECT article_id FROM {name})"
        ).fetchall()
    finally:
        con.unregister(name)
    if not stale:
        return
    name = register_columns(con, article_id=[article_id for (article_id,) in stale])
    try:
        con.execute(f"DELETE FROM article_buckets WHERE article_id IN (SELECT article_id FROM {name})")
        con.execute(f"DELETE FROM article_signatures WHERE article_id IN (SELECT article_id FROM {name})")
    finally:
        con.unregister(name)


def _stored_candidates(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str], buckets: Sequence[Sequence[int]]
) -> dict[str, dict[str, tuple[np.ndarray, str]]]:
    """For each new article, the loaded articles sharing a bucket with it: id -> (signature, cluster)."""
    pairs = [(article_id, bucket) for article_id, keys in zip(ids, buckets, strict=True) for bucket in keys]
    if not pairs:
        return {}
    name = register_columns(
        con,
        new_id=[article_id for article_id, _ in pairs],
        bucket=np.array([bucket for _, bucket in pairs], dtype=np.uint64),
    )
    try:
        # Pairs first, signatures after: two copies of a story share most of their 42 buckets, and
        # joining signatures before DISTINCT would carry each one through every shared bucket.
        rows = con.execute(
            "SELECT c.new_id, a.article_id, s.minhash, a.cluster_id"
            " FROM (SELECT DISTINCT n.new_id, b.article_id"
            f"       FROM {name} n JOIN article_buckets b ON b.bucket = n.bucket) c"
            " JOIN article_signatures s ON s.article_id = c.article_id"
            " JOIN articles a ON a.article_id = c.article_id"
            " WHERE a.cluster_id IS NOT NULL"
        ).fetchall()
    finally:
        con.unregister(name)
    found: defaultdict[str, dict[str, tuple[np.ndarray, str]]] = defaultdict(dict)
    for new_id, other_id, blob, cluster_id in rows:
        found[new_id][other_id] = (np.frombuffer(blob, dtype="<u4"), cluster_id)
    return found


def _write(
    con: duckdb.DuckDBPyConnection,
    ids: Sequence[str],
    signatures: Sequence[np.ndarray],
    sizes: Sequence[int],
    buckets: Sequence[Sequence[int]],
    cluster_of: dict[str, str],
) -> None:
    con.executemany(  # one row per article: few per batch
        "INSERT INTO article_signatures (article_id, minhash, shingles) VALUES (?, ?, ?)",
        [
            [article_id, sig.astype("<u4").tobytes(), size]
            for article_id, sig, size in zip(ids, signatures, sizes, strict=True)
        ],
    )
    assert all(sig.size == PERMUTATIONS for sig in signatures)
    pairs = [(article_id, bucket) for article_id, keys in zip(ids, buckets, strict=True) for bucket in keys]
    if pairs:
        name = register_columns(
            con,
            bucket=np.array([bucket for _, bucket in pairs], dtype=np.uint64),
            article_id=[article_id for article_id, _ in pairs],
        )
        try:
            con.execute(f"INSERT INTO article_buckets SELECT bucket, article_id FROM {name}")
        finally:
            con.unregister(name)
    name = register_columns(con, article_id=list(cluster_of), cluster_id=list(cluster_of.values()))
    try:
        con.execute(
            f"UPDATE articles SET cluster_id = c.cluster_id FROM {name} c WHERE articles.article_id = c.article_id"
        )
    finally:
        con.unregister(name)
