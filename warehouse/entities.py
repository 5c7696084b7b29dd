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

Per article (pure: ``canonical_mentions``):

1. clean each name: brackets and what parentheses hold, leading determiners,
   titles before a person ("President", "Kremlin spokesman"), a trailing
   possessive, stray punctuation; junk spans (no letters, all lower case,
   links, more than eight words) are dropped;
2. a person's bare surname or shorter form joins the full name of the same
   article that ends with it (the nearest one before it, else after);
3. a definition, "Full Name (Short)" or "Short (Full Name)", joins the short
   form to the full name: "Russian Agricultural Bank (Rosselkhozbank)",
   "European Union (EU)".

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

import bisect
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

from warehouse.columns import register_columns
from warehouse.records import MentionLike

__all__ = [
    "CanonicalMention",
    "Definition",
    "canonical_mentions",
    "clean_name",
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


@dataclass(frozen=True)
class Definition:
    """An article's "Full Name (Short)": the short form's key joins the full name's entity."""

    alias: str
    full_name: str
    label: str  # the full name's label

    @property
    def alias_key(self) -> str:
        return entity_key(self.alias)


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


# --------------------------------------------------------------------------- 1. cleaning

_DETERMINER = re.compile(r"(?i)^(?:the|a|an)\s+")
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_BRACKET_CHARS = str.maketrans("", "", "[](){}")
_EDGE = "\"'“”‘’«»„‟‹›`*•·,;:!?|/\\-–—_#@~^+=<> \t\n"
_INITIALISM = re.compile(r"(?:[A-Za-z]\.){2,}")
_ABBREVIATIONS = frozenset({"corp.", "inc.", "co.", "ltd.", "jr.", "sr.", "st.", "bros.", "plc."})
_WHITESPACE = re.compile(r"\s+")
_NOT_IN_NAMES = ("@", "://", "www.", "|", "\n")
_MAX_WORDS = 8
_MAX_CHARS = 60
_SENTENCE_MARKS = frozenset("。，、；：！？“”「」『』")
# Words that stand before a person's name in news copy and are not part of it.
# The last one of them in a span cuts it: "Kremlin spokesman Dmitry Peskov" -> "Dmitry Peskov".
_TITLES = frozenset(
    """president vice prime minister premier chancellor secretary spokesman spokeswoman spokesperson
    senator sen rep representative congressman congresswoman governor gov mayor king queen prince
    princess pope chairman chairwoman chair ceo founder director general gen lieutenant lt colonel col
    major maj captain capt sergeant sgt admiral adm commander judge justice ambassador envoy
    commissioner leader lawmaker mr mrs ms miss dr prof professor sir dame lord lady sheikh emir
    ayatollah president-elect attorney""".split()
)
# Lower-case words that belong inside a personal name.
_PARTICLES = frozenset("al el bin ibn bint abu de da di du del della der den van von la le ter dos das".split())
# A title before these is a body's name ("Prime Minister's Office"), not a person's.
_BODY_WORDS = frozenset(
    "office department ministry administration council committee house cabinet government party".split()
)
_PERSON_OK = frozenset({"PERSON"})


def clean_name(name: str, label: str) -> tuple[str, str] | None:
    """The name an entity goes by, and its label (a title makes a person); None for junk (1)."""
    text = _PARENTHESES.sub(" ", name)  # "Shanghai Composite (SHCOMP)": the name is outside
    text = _WHITESPACE.sub(" ", text.translate(_BRACKET_CHARS)).strip()  # "[Vladimir] Putin"
    for _ in range(4):  # each rule may expose another: "the President's" ...
        before = text
        text = _trim_symbols(text.strip(_EDGE))
        text = _DETERMINER.sub("", text)
        if label in ("PERSON", "GPE", "LOC", "NORP") or text.endswith("’s"):
            text = _POSSESSIVE.sub("", text)
        if text.endswith(".") and not _keeps_dot(text):
            text = text[:-1]
        text, label = _drop_title(text, label)
        text = _drop_lowercase_lead(text)
        if text == before:
            break
    if _is_junk(text):
        return None
    return text, label


def _trim_symbols(text: str) -> str:
    """No name starts or ends with a symbol ("👁 Prepare"); a final dot is judged apart."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    return text[start:end].strip()


def _keeps_dot(text: str) -> bool:
    last = text.rsplit(None, 1)[-1]
    return bool(_INITIALISM.fullmatch(last)) or last.casefold() in _ABBREVIATIONS


def _is_title(word: str) -> bool:
    return word.casefold().rstrip(".") in _TITLES


def _drop_title(text: str, label: str) -> tuple[str, str]:
    words = text.split(" ")
    cut = max((i for i, word in enumerate(words[:-1]) if _is_title(word)), default=-1)
    if cut < 0:
        return text, label
    rest = words[cut + 1 :]
    while len(rest) > 1 and rest[0] in ("of", "for"):  # "Secretary of State John Kerry"
        rest = rest[2:]
    if not rest or not _looks_like_a_personal_name(rest):
        return text, label
    if label != "PERSON" and (cut != 0 or len(rest) > 3):  # "President Putin" read as ORG; nothing longer
        return text, label
    return " ".join(rest), "PERSON"


def _looks_like_a_personal_name(words: Sequence[str]) -> bool:
    return all(
        (word[:1].isupper() or word.casefold() in _PARTICLES or word.split("-", 1)[0] in _PARTICLES)
        and word.casefold() not in _BODY_WORDS
        and not _is_title(word)
        for word in words
    ) and not words[0].islower()


def _drop_lowercase_lead(text: str) -> str:
    """ "said Putin" -> "Putin"; particles and mixed case ("al-Assad", "iPhone") stay."""
    words = text.split(" ")
    i = 0
    while i < len(words) - 1 and words[i].islower() and words[i] not in _PARTICLES and "-" not in words[i]:
        i += 1
    return " ".join(words[i:])


def _is_junk(text: str) -> bool:
    return (
        len(text) < 2
        or not any(char.isalpha() for char in text)
        or text.islower()
        or len(text.split()) > _MAX_WORDS
        or len(text) > _MAX_CHARS  # a sentence of a language written without spaces
        or any(char in _SENTENCE_MARKS for char in text)
        or any(marker in text for marker in _NOT_IN_NAMES)
        or _DETERMINER.match(text) is not None
        or text.casefold() in ("the", "a", "an")
        or not entity_key(text)
    )


# --------------------------------------------------------------------------- 2. surnames


def _join_surnames(mentions: list[CanonicalMention]) -> list[CanonicalMention]:
    """A shorter form of a person's name joins the full name of the same article (2).

    Also a bare word the model called an organisation or a work ("Kirby said"),
    never one it called a place ("in Washington" beside George Washington).
    """
    full_names: defaultdict[str, list[int]] = defaultdict(list)  # full name -> positions
    for mention in mentions:
        if mention.label == "PERSON" and " " in mention.name:
            full_names[mention.name].append(mention.start_char)
    if not full_names:
        return mentions
    out = []
    for mention in mentions:
        joinable = mention.label == "PERSON" or (
            mention.label not in ("GPE", "LOC", "FAC", "NORP") and " " not in mention.name
        )
        targets = [full for full in full_names if joinable and _is_shorter_form(mention.name, full)]
        if targets:
            mention = replace(mention, name=_nearest(targets, full_names, mention.start_char), label="PERSON")
        out.append(mention)
    return out


def _is_shorter_form(short: str, full: str) -> bool:
    """ "Kirby" of "John Kirby", "Assad" of "Bashar al-Assad", "Bashar Assad" too; not the name itself."""
    short_words, full_words = entity_key(short).split(), entity_key(full).split()
    if not short_words or len(short_words) >= len(full_words):
        return False
    if short_words[-1] != full_words[-1]:
        return False
    rest = iter(full_words[:-1])
    return all(any(word == other for other in rest) for word in short_words[:-1])


def _nearest(targets: list[str], positions: dict[str, list[int]], at: int) -> str:
    best: tuple[int, int, str] | None = None  # (after?, distance, name): before beats after
    for name in targets:
        pos = positions[name]
        i = bisect.bisect_left(pos, at)
        candidates = []
        if i > 0:
            candidates.append((0, at - pos[i - 1], name))
        if i < len(pos):
            candidates.append((1, pos[i] - at, name))
        for candidate in candidates:
            if best is None or candidate < best:
                best = candidate
    assert best is not None
    return best[2]


# --------------------------------------------------------------------------- 3. definitions

_DEFINITION = re.compile(r"\s*\(\s*([^()\n]{2,60}?)\s*\)")
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&.\-]{1,9}")
_CONNECTORS = frozenset({"of", "and", "for", "the", "on", "in", "de", "du", "la", "&"})
# Wire agencies and the like: "MOSCOW (Reuters)" defines nothing.
_CREDITS = frozenset("reuters ap afp ap photo upi dpa efe ansa xinhua tass ria itar tass bloomberg file".split())
_NOT_DEFINING = frozenset({"PERSON", "GPE", "LOC", "NORP"})  # a short form that is a person or place


def _definitions(body: str, mentions: Sequence[CanonicalMention]) -> list[Definition]:
    """ "Full Name (Short)" and "Short (Full Name)" of the article, checked for shape (3)."""
    by_start = {m.start_char: m for m in mentions}
    found = []
    for mention in mentions:
        inner_span = _parenthesis_after(body, mention)
        if inner_span is None:
            continue
        start, end = inner_span
        inner = body[start:end].strip()
        inside = next((m for m in mentions if start <= m.start_char < end), None)
        if inside is not None and inside is not by_start.get(mention.start_char):
            if len(inside.name.split()) > len(mention.name.split()):  # "EU (European Union)"
                if _is_short_form(mention.name, inside.name, inside.label, short_label=mention.label):
                    found.append(Definition(mention.name, inside.name, inside.label))
                continue
            if inside.label in _NOT_DEFINING:  # "Gazprom Neft (Russia)"
                continue
        if _is_short_form(inner, mention.name, mention.label, short_label=None):
            found.append(Definition(inner, mention.name, mention.label))
    return found


def _parenthesis_after(body: str, mention: CanonicalMention) -> tuple[int, int] | None:
    """The text inside a parenthesis right after the mention, or at the end of its own span."""
    own = re.search(r"\(\s*([^()\n]{2,60}?)\s*\)$", mention.surface)
    if own:
        return mention.start_char + own.start(1), mention.start_char + own.end(1)
    match = _DEFINITION.match(body, mention.end_char)
    return (match.start(1), match.end(1)) if match else None


def _is_short_form(short: str, full: str, label: str, *, short_label: str | None) -> bool:
    if label == "PERSON" or short_label in _NOT_DEFINING or " " not in full:
        return False
    if entity_key(short) in _CREDITS or entity_key(short) == entity_key(full):
        return False
    if _ACRONYM.fullmatch(short) and sum(char.isupper() for char in short) >= 2:
        return _letters_in_order(short, full)
    # A single name-like word ("Rosselkhozbank") for an organisation only: too loose for places.
    return label == "ORG" and " " not in short and short[:1].isupper() and len(short) >= 4 and short.isalpha()


def _letters_in_order(acronym: str, full: str) -> bool:
    """ "EU" in "European Union", "NATO" in "North Atlantic Treaty Organization": first letter
    first, the others in order among the full name's letters."""
    letters = [char for char in acronym.casefold() if char.isalnum()]
    words = [w for w in full.split() if w.casefold() not in _CONNECTORS]
    if not letters or not words or letters[0] != words[0][0].casefold():
        return False
    rest = iter(" ".join(words).casefold())
    return all(char in rest for char in letters)


# --------------------------------------------------------------------------- per article


def canonical_mentions(
    body: str, mentions: Iterable[MentionLike]
) -> tuple[list[CanonicalMention], list[Definition]]:
    """Clean, join and collect the definitions of one article's mentions (1-3); pure."""
    # One mention per span: the warehouse keeps no key on mentions that would refuse a second.
    by_span: dict[tuple[int, int], CanonicalMention] = {}
    for mention in mentions:
        result = clean_name(mention.name, mention.label)
        if result is None:
            continue
        name, label = result
        span = (mention.start_char, mention.end_char)
        by_span.setdefault(span, CanonicalMention(mention.start_char, mention.end_char, mention.text, name, label))
    cleaned = sorted(by_span.values(), key=lambda m: m.start_char)
    joined = _join_surnames(cleaned)
    definitions = _definitions(body, joined)
    if definitions:
        full_of = {d.alias_key: d for d in definitions}
        joined = [
            replace(m, name=full_of[m.key].full_name, label=full_of[m.key].label, via_alias=True)
            if m.key in full_of and not (m.label == "PERSON" and " " in m.name)
            else m
            for m in joined
        ]
    return joined, definitions


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
            definitions.setdefault(definition.alias_key, (definition, article_id))
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


# Ties in the label vote go to the first label here (places first: see parsers.entities).
_LABEL_ORDER = ["GPE", "LOC", "PERSON", "ORG", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"]

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
        by_article: dict[str, tuple[str, list[_Stored]]] = {}
        for article_id, body, start, end, surface, name, label in rows:
            by_article.setdefault(article_id, (body, []))[1].append(_Stored(name, label, start, end, surface))
        store_mentions(con, [(aid, body, ms) for aid, (body, ms) in by_article.items()], stale_entities=old)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)


@dataclass(frozen=True)
class _Stored:
    name: str
    label: str
    start_char: int
    end_char: int
    text: str
