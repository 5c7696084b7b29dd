-- Canonical entities across articles.
--
-- An entity is now keyed by a normalised name and a coarse kind (person or other),
-- not by its label: the label is a vote over all its mentions and may change as
-- articles arrive, the id may not. Each mention keeps the article's own name and
-- label, which the vote counts. Ids are re-keyed from the old (label, name) hash by
-- warehouse.entities.upgrade_entities when a writer opens the database, because the
-- name normalisation is Python's.

ALTER TABLE mentions ADD COLUMN name VARCHAR;          -- the entity's name as this article resolves it
ALTER TABLE mentions ADD COLUMN label VARCHAR;         -- the label this article gives it (votes)
ALTER TABLE mentions ADD COLUMN via_alias BOOLEAN DEFAULT false;  -- joined through an alias definition

UPDATE mentions SET name = e.name, label = e.label FROM entities e WHERE e.entity_id = mentions.entity_id;

CREATE TABLE entities_canonical (
    entity_id       VARCHAR PRIMARY KEY,      -- hash of kind and key: the same in every run and database
    name            VARCHAR NOT NULL,         -- the most used spelling of the name
    label           VARCHAR NOT NULL,         -- vote over the labels of all mentions
    kind            VARCHAR,                  -- person | other (NULL: not yet re-keyed)
    key             VARCHAR,                  -- normalised name: case, accents, dots and dashes folded
    mentions        INTEGER NOT NULL DEFAULT 0,
    articles        INTEGER NOT NULL DEFAULT 0,
    first_seen      TIMESTAMP,                -- earliest publication (or load) time of an article naming it
    last_seen       TIMESTAMP,
    low_confidence  BOOLEAN NOT NULL DEFAULT false  -- a singleton: one mention in one article
);
INSERT INTO entities_canonical (entity_id, name, label) SELECT entity_id, name, label FROM entities;
DROP TABLE entities;
ALTER TABLE entities_canonical RENAME TO entities;

-- "Russian Agricultural Bank (Rosselkhozbank)", "European Union (EU)": an article that
-- defines a short form joins it to the full name, in that article and in every other.
CREATE TABLE entity_redirects (
    kind            VARCHAR NOT NULL,         -- the full name's kind
    alias_key       VARCHAR NOT NULL,         -- normalised short form
    alias           VARCHAR NOT NULL,         -- as first written
    entity_id       VARCHAR NOT NULL,         -- the full name's entity
    defined_in      VARCHAR NOT NULL,         -- articles.article_id of the first definition
    PRIMARY KEY (alias_key)
);

-- Surface forms seen for each entity, with counts.
CREATE VIEW entity_aliases AS
SELECT m.entity_id, e.name, e.label, m.surface AS alias,
       count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN entities e USING (entity_id)
GROUP BY ALL;
