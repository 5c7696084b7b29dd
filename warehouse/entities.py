"""Canonical entities across articles: one entity per real-world name, stable ids.

``parsers.entities`` resolves names within one article; this module makes the
names of many articles into one set of entities, at load time, inside the
batch's transaction.

An entity's id is a hash of a normalised *key* of its name (case, accents,
dots and dashes folded: "U.S." and "US", "al-Assad" and "Al Assad" are one
key). Its label is not part of the id: it is a vote over all its mentions and
may change as articles arrive; the id does not. Ids are therefore the same in
every run and every database. Not even a coarse kind (person or not) enters
the id: on the corpora the small model gives one name both kinds far more often
("Trump" read as ORG for a whole article, "Lesotho" as a person once) than two
real-world things share a bare name, and a person's bare surname already joins
the full name within its article.

Per article (pure: ``canonical_mentions``): nothing is cleaned or joined here. The names come
resolved from ``parsers.entities`` (the one place for cleaning, titles, surnames and an article's
own definitions); this step keeps one mention per span and collects the article's short-form
definitions (``parsers.entity_definitions``), which the warehouse applies across articles.

In the warehouse (``store_mentions``):

4. each mention gets the entity of its key, or, when its key is a
   short form some article defined, the full name's entity;
5. a new definition re-points the short form's earlier mentions, in every
   article, and removes its entity;
6. the touched entities get their name (the most used spelling), label
   (vote over mentions: the label most articles give it, then most mentions),
   counts, first and last seen, and the low-confidence mark (a singleton: one
   mention in one article). A batch of new articles adds its own counts to
   running tallies (``entity_label_tallies``, ``entity_name_tallies``), so its
   cost follows the batch; an entity that lost or moved mentions (a replaced
   article, a short form joined to its full name) is recomputed from them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import duckdb
import numpy as np

from parsers.entities import normalise_spans
from parsers.entity_definitions import Definition, find_definitions
from parsers.entity_names import LABEL_ORDER
from warehouse.columns import register_columns
from warehouse.records import MentionLike

__all__ = [
    "CanonicalMention",
    "Definition",
    "canonical_mentions",
    "entity_id_for",
    "entity_key",
    "kind_of",
    "store_mentions",
    "upgrade_entities",
]


@dataclass(frozen=True)
class CanonicalMention:
    start_char: int
    end_char: int
    surface: str  # body[start_char:end_char]
    name: str  # the name this article resolves the mention to
    label: str  # the label this article gives it
    via_alias: bool = False  # joined to the full name through a definition (3)

    @property
    def kind(self) -> str:
        return kind_of(self.label)

    @property
    def key(self) -> str:
        return entity_key(self.name)


# --------------------------------------------------------------------------- ids


def kind_of(label: str) -> str:
    """The coarse kind of a label: person or other (informational; not part of the id)."""
    return "person" if label == "PERSON" else "other"


_NOT_ALNUM = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=2**16)  # called for every mention, and the same names recur in every batch
def entity_key(name: str) -> str:
    """A name folded for identity: accents, case, dots of initialisms, dashes and punctuation."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_ALNUM.sub(" ", text.casefold().replace(".", "")).strip()


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def entity_id_for(name: str) -> str:
    """The stable id of the entity a name belongs to, whatever its label (before any alias definition)."""
    return _digest("entity", entity_key(name))


# --------------------------------------------------------------------------- per article


def canonical_mentions(
    body: str, mentions: Iterable[MentionLike]
) -> tuple[list[CanonicalMention], list[Definition]]:
    """One article's mentions as the parser resolved them, and its short-form definitions; pure.

    Names are not cleaned or joined here: ``parsers.entities`` did that, once, for the article.
    """
    # One mention per span: the warehouse keeps no key on mentions that would refuse a second.
    by_span: dict[tuple[int, int], MentionLike] = {}
    for mention in mentions:
        if mention.name.strip() and entity_key(mention.name):
            by_span.setdefault((mention.start_char, mention.end_char), mention)
    kept = sorted(by_span.values(), key=lambda m: m.start_char)
    definitions = find_definitions(body, kept)
    aliases = {entity_key(d.alias) for d in definitions}
    found = [
        CanonicalMention(m.start_char, m.end_char, m.text, m.name, m.label,
                         via_alias=entity_key(m.text) in aliases and entity_key(m.text) != entity_key(m.name))
        for m in kept
    ]  # fmt: skip
    return found, definitions


def _alias_key(definition: Definition) -> str:
    return entity_key(definition.alias)


# --------------------------------------------------------------------------- warehouse (4-6)


def store_mentions(
    con: duckdb.DuckDBPyConnection,
    articles: Sequence[tuple[str, str, Sequence[MentionLike]]],
    *,
    stale_entities: Iterable[str] = (),
    seen_at: Mapping[str, datetime] | None = None,
) -> None:
    """Insert the mentions of new articles ``(article_id, body, mentions)`` and their entities.

    Runs inside the caller's transaction. ``stale_entities`` are entities that
    lost mentions (a replaced article) and need their figures recomputed.
    ``seen_at`` gives each article's time for first and last seen (its publication,
    else its load time, naive UTC where the zone is known: ``_SEEN_AT``); with it, an
    entity that only gains this batch's mentions adds this batch's counts to its
    figures, and without it every entity touched is recomputed from its mentions.
    """
    touched = set(stale_entities)
    rows: list[tuple[str, CanonicalMention]] = []
    definitions: dict[str, tuple[Definition, str]] = {}  # alias key -> (definition, article id)
    for article_id, body, mentions in articles:
        found, defined = canonical_mentions(body, mentions)
        rows += [(article_id, m) for m in found]
        for definition in defined:
            definitions.setdefault(_alias_key(definition), (definition, article_id))
    keys = {m.key for _, m in rows} | set(definitions) | {entity_key(d.full_name) for d, _ in definitions.values()}
    redirects, full_names = _known_redirects(con, keys)
    touched |= _define(con, definitions, redirects, full_names)
    if not rows:
        _recompute(con, touched)
        _vote(con, touched)
        return
    ids = [_resolve(m, redirects) for _, m in rows]
    rows = [
        (article_id, m if m.via_alias or m.key not in redirects or entity_id_for(m.name) == entity_id
         else replace(m, via_alias=True))
        for (article_id, m), entity_id in zip(rows, ids, strict=True)
    ]
    entities: dict[str, tuple[str, str, str, str]] = {}
    for entity_id, (_, mention) in zip(ids, rows, strict=True):
        if entity_id not in entities:
            name = full_names.get(entity_id, mention.name)  # a short form's entity is the full name's
            entities[entity_id] = (name, mention.label, mention.kind, entity_key(name))
    _bulk(
        con,
        "INSERT INTO entities (entity_id, name, label, kind, key) SELECT * FROM {rows} ON CONFLICT DO NOTHING",
        entity_id=list(entities),
        name=[e[0] for e in entities.values()],
        label=[e[1] for e in entities.values()],
        kind=[e[2] for e in entities.values()],
        key=[e[3] for e in entities.values()],
    )
    _bulk(
        con,
        "INSERT INTO mentions (article_id, entity_id, start_char, end_char, surface, name, label, via_alias)"
        " SELECT * FROM {rows}",
        article_id=[article_id for article_id, _ in rows],
        entity_id=ids,
        start_char=np.array([m.start_char for _, m in rows], dtype=np.int32),
        end_char=np.array([m.end_char for _, m in rows], dtype=np.int32),
        surface=[m.surface for _, m in rows],
        name=[m.name for _, m in rows],
        label=[m.label for _, m in rows],
        via_alias=np.array([m.via_alias for _, m in rows], dtype=bool),
    )
    # Entities that lost or moved mentions are recomputed from them; the others add this batch's counts.
    recompute = touched if seen_at is not None else touched | set(ids)
    _add_counts(con, [(entity_id, article_id, m) for (article_id, m), entity_id in zip(rows, ids, strict=True)
                      if entity_id not in recompute], seen_at or {})  # fmt: skip
    _recompute(con, recompute)
    _vote(con, touched | set(ids))


def _resolve(mention: CanonicalMention, redirects: dict[str, str]) -> str:
    if mention.key in redirects and not (mention.kind == "person" and " " in mention.name):
        return redirects[mention.key]
    return entity_id_for(mention.name)


def _known_redirects(con: duckdb.DuckDBPyConnection, keys: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Short forms among ``keys`` already defined: alias key -> entity id, and entity id -> full name."""
    if not keys:
        return {}, {}
    name = register_columns(con, alias_key=sorted(keys))
    try:
        rows = con.execute(
            f"SELECT r.alias_key, r.entity_id, r.full_name FROM entity_redirects r JOIN {name} k USING (alias_key)"
        ).fetchall()
    finally:
        con.unregister(name)
    return {key: entity_id for key, entity_id, _ in rows}, {entity_id: full for _, entity_id, full in rows}


def _define(
    con: duckdb.DuckDBPyConnection,
    definitions: dict[str, tuple[Definition, str]],
    redirects: dict[str, str],
    full_names: dict[str, str],
) -> set[str]:
    """Record new definitions and fold the short forms' existing entities into the full names' (5).

    The first definition of a short form wins; later ones leave it alone. Returns the entity ids touched.
    """
    touched: set[str] = set()
    for alias_key, (definition, article_id) in definitions.items():
        if alias_key in redirects:
            continue
        full_key = entity_key(definition.full_name)
        target = redirects.get(full_key) or entity_id_for(definition.full_name)
        full_name = full_names.get(target, definition.full_name)
        con.execute(
            "INSERT INTO entity_redirects (kind, alias_key, alias, entity_id, defined_in, full_name)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [kind_of(definition.label), alias_key, definition.alias, target, article_id, full_name],
        )
        redirects[alias_key] = target
        full_names[target] = full_name
        merged = [
            row[0]
            for row in con.execute(
                "SELECT entity_id FROM entities WHERE key = ? AND entity_id <> ?", [alias_key, target]
            ).fetchall()
        ]
        if not merged:
            continue
        placeholders = ", ".join("?" * len(merged))
        con.execute(
            "INSERT INTO entities (entity_id, name, label, kind, key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [target, full_name, definition.label, kind_of(definition.label), entity_key(full_name)],
        )
        con.execute(
            f"UPDATE mentions SET entity_id = ?, via_alias = true WHERE entity_id IN ({placeholders})",
            [target, *merged],
        )
        touched |= {target, *merged}
    return touched


# An article's time for an entity's first and last seen; warehouse.load._seen_at computes the same in Python.
_SEEN_AT = "coalesce(a.published_utc AT TIME ZONE 'UTC', a.published_at, a.loaded_at AT TIME ZONE 'UTC')"


def _add_counts(
    con: duckdb.DuckDBPyConnection,
    mentions: Sequence[tuple[str, str, CanonicalMention]],
    seen_at: Mapping[str, datetime],
) -> None:
    """Add new articles' mentions ``(entity_id, article_id, mention)`` to their entities' tallies and counts.

    Sized by the batch: an entity named in every day's news is not re-read from all its mentions.
    The articles are new to the warehouse (a replaced article's entities are recomputed instead),
    so each article counts once per entity and label.
    """
    if not mentions:
        return
    label_articles: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    label_mentions: Counter[tuple[str, str]] = Counter()
    name_own: Counter[tuple[str, str]] = Counter()
    name_mentions: Counter[tuple[str, str]] = Counter()
    entity_mentions: Counter[str] = Counter()
    entity_articles: defaultdict[str, set[str]] = defaultdict(set)
    first_seen: dict[str, datetime] = {}
    last_seen: dict[str, datetime] = {}
    for entity_id, article_id, mention in mentions:
        label_articles[entity_id, mention.label].add(article_id)
        label_mentions[entity_id, mention.label] += 1
        name_own[entity_id, mention.name] += not mention.via_alias
        name_mentions[entity_id, mention.name] += 1
        entity_mentions[entity_id] += 1
        entity_articles[entity_id].add(article_id)
        when = seen_at[article_id]
        first_seen[entity_id] = min(first_seen.get(entity_id, when), when)
        last_seen[entity_id] = max(last_seen.get(entity_id, when), when)
    _bulk(
        con,
        "INSERT INTO entity_label_tallies SELECT * FROM {rows} ON CONFLICT (entity_id, label) DO UPDATE"
        " SET articles = entity_label_tallies.articles + excluded.articles,"
        " mentions = entity_label_tallies.mentions + excluded.mentions",
        entity_id=[entity_id for entity_id, _ in label_mentions],
        label=[label for _, label in label_mentions],
        articles=np.array([len(label_articles[key]) for key in label_mentions], dtype=np.int32),
        mentions=np.array(list(label_mentions.values()), dtype=np.int32),
    )
    _bulk(
        con,
        "INSERT INTO entity_name_tallies SELECT * FROM {rows} ON CONFLICT (entity_id, name) DO UPDATE"
        " SET own = entity_name_tallies.own + excluded.own,"
        " mentions = entity_name_tallies.mentions + excluded.mentions",
        entity_id=[entity_id for entity_id, _ in name_mentions],
        name=[name for _, name in name_mentions],
        own=np.array([name_own[key] for key in name_mentions], dtype=np.int32),
        mentions=np.array(list(name_mentions.values()), dtype=np.int32),
    )
    _bulk(
        con,
        "UPDATE entities SET mentions = entities.mentions + d.mentions, articles = entities.articles + d.articles,"
        " first_seen = least(entities.first_seen, d.first_seen), last_seen = greatest(entities.last_seen, d.last_seen)"
        " FROM {rows} d WHERE entities.entity_id = d.entity_id",
        entity_id=list(entity_mentions),
        mentions=np.array(list(entity_mentions.values()), dtype=np.int32),
        articles=np.array([len(entity_articles[e]) for e in entity_mentions], dtype=np.int32),
        first_seen=np.array([first_seen[e] for e in entity_mentions], dtype="datetime64[us]"),
        last_seen=np.array([last_seen[e] for e in entity_mentions], dtype="datetime64[us]"),
    )


def _recompute(con: duckdb.DuckDBPyConnection, entity_ids: set[str]) -> None:
    """Rebuild these entities' tallies and counts from their mentions; drop those left without any (6)."""
    if not entity_ids:
        return
    ids = register_columns(con, entity_id=sorted(entity_ids))
    try:
        con.execute(f"DELETE FROM entity_label_tallies WHERE entity_id IN (SELECT entity_id FROM {ids})")
        con.execute(f"DELETE FROM entity_name_tallies WHERE entity_id IN (SELECT entity_id FROM {ids})")
        con.execute(
            "INSERT INTO entity_label_tallies SELECT entity_id, label, count(DISTINCT article_id), count(*)"
            f" FROM mentions JOIN {ids} USING (entity_id) GROUP BY entity_id, label"
        )
        con.execute(
            "INSERT INTO entity_name_tallies SELECT entity_id, name, count(*) FILTER (WHERE NOT via_alias), count(*)"
            f" FROM mentions JOIN {ids} USING (entity_id) GROUP BY entity_id, name"
        )
        con.execute(
            "UPDATE entities SET mentions = s.mentions, articles = s.articles, first_seen = s.first_seen,"
            " last_seen = s.last_seen"
            " FROM (SELECT m.entity_id, count(*) AS mentions, count(DISTINCT m.article_id) AS articles,"
            f" min({_SEEN_AT}) AS first_seen, max({_SEEN_AT}) AS last_seen"
            f" FROM mentions m JOIN {ids} t ON t.entity_id = m.entity_id JOIN articles a ON a.article_id = m.article_id"
            " GROUP BY m.entity_id) s"
            " WHERE entities.entity_id = s.entity_id"
        )
        con.execute(
            f"DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM {ids})"
            " AND entity_id NOT IN (SELECT entity_id FROM entity_label_tallies)"
        )
    finally:
        con.unregister(ids)


# Ties in the label vote go to the first label of parsers.entity_names.LABEL_ORDER (places first).
_LABEL_ORDER = list(LABEL_ORDER)

_VOTES = """
SELECT l.entity_id, l.label, n.name FROM (
    SELECT entity_id,
           arg_max(label, {{'articles': articles, 'n': mentions, 'order': -coalesce(list_position(?, label), 99)}})
           AS label
    FROM entity_label_tallies JOIN {ids} USING (entity_id) GROUP BY entity_id
) l JOIN (
    SELECT entity_id,
           arg_max(name, {{'own': own > 0, 'cased': name <> upper(name), 'n': mentions, 'name': name}}) AS name
    FROM entity_name_tallies JOIN {ids} USING (entity_id) GROUP BY entity_id
) n USING (entity_id)
"""


def _vote(con: duckdb.DuckDBPyConnection, entity_ids: set[str]) -> None:
    """Name (the most used own spelling), label (the label most articles give it, then most mentions),
    kind and the low-confidence mark (a singleton) of these entities, from their tallies (6)."""
    if not entity_ids:
        return
    ids = register_columns(con, entity_id=sorted(entity_ids))
    try:
        con.execute(
            "UPDATE entities SET name = v.name, label = v.label,"
            " kind = CASE WHEN v.label = 'PERSON' THEN 'person' ELSE 'other' END,"
            " low_confidence = entities.mentions <= 1"
            f" FROM ({_VOTES.format(ids=ids)}) v WHERE entities.entity_id = v.entity_id",
            [_LABEL_ORDER],
        )
    finally:
        con.unregister(ids)


def _bulk(con: duckdb.DuckDBPyConnection, statement: str, **columns: Sequence[object] | np.ndarray) -> None:
    """Insert many rows by scanning NumPy columns (DuckDB binds Python parameters row by row)."""
    name = register_columns(con, **columns)
    try:
        con.execute(statement.format(rows=name))
    finally:
        con.unregister(name)


# --------------------------------------------------------------------------- upgrade


def upgrade_entities(con: duckdb.DuckDBPyConnection) -> int:
    """Re-key entities of an older id scheme (migrations 030, 033); returns how many mentions moved.

    The first id hashed (label, name), the second (kind, key); the id now hashes the key
    alone. Names are cleaned and short-form definitions found again on the way. A no-op
    (one query) on an up-to-date database.
    """
    if not con.execute("SELECT count(*) FROM entities WHERE kind IS NULL").fetchone()[0]:  # type: ignore[index]
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        rows = con.execute(
            "SELECT m.article_id, a.body, m.start_char, m.end_char, m.surface, m.name, m.label"
            " FROM mentions m JOIN articles a USING (article_id) ORDER BY m.article_id, m.start_char"
        ).fetchall()
        old = [row[0] for row in con.execute("SELECT entity_id FROM entities").fetchall()]
        con.execute("DELETE FROM mentions")
        con.execute("DELETE FROM entities")
        con.execute("DELETE FROM entity_redirects")  # their targets carry old ids: found again below
        con.execute("DELETE FROM entity_label_tallies")
        con.execute("DELETE FROM entity_name_tallies")
        by_article: dict[str, tuple[str, list[tuple[int, int, str]]]] = {}
        for article_id, body, start, end, _surface, _name, label in rows:
            by_article.setdefault(article_id, (body, []))[1].append((start, end, label))
        # The old names were not resolved as today's parser does: its normalisation runs again on the spans.
        store_mentions(con, [(aid, body, normalise_spans(body, spans)) for aid, (body, spans) in by_article.items()],
                       stale_entities=old)  # fmt: skip
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)
