-- Mentions without a primary key or an entity_id index.
--
-- DuckDB brings a table's ART indexes into memory for a batch that inserts into it.
-- Mentions are the warehouse's biggest table (about 30 per article), and their two
-- indexes made each batch's memory grow with the warehouse: a 50-article batch into
-- an 8,241-article warehouse held 19 MB of index memory with them, 10 MB without,
-- and a daily job's warehouse only grows. The loader already keeps
-- (article_id, start_char, end_char) unique: an article's mentions are written once,
-- one per span, by the batch that loads it, after any older version's are deleted
-- (warehouse.load). Queries by entity scan the entity_id column, which is what
-- DuckDB does for joins anyway.
--
-- DuckDB cannot drop a primary key in place, so the table is rebuilt, rows in the
-- order they were loaded. The analyst views bind to the table by name and need no change.

DROP INDEX mentions_entity;

CREATE TABLE mentions_unkeyed (
    article_id      VARCHAR NOT NULL,
    entity_id       VARCHAR NOT NULL,
    start_char      INTEGER NOT NULL,         -- offsets into articles.body
    end_char        INTEGER NOT NULL,
    surface         VARCHAR NOT NULL,         -- the text as written ("Kirby" for John Kirby)
    name            VARCHAR,                  -- the entity's name as this article resolves it
    label           VARCHAR,                  -- the label this article gives it (votes)
    via_alias       BOOLEAN DEFAULT false     -- joined through an alias definition
);

INSERT INTO mentions_unkeyed
SELECT article_id, entity_id, start_char, end_char, surface, name, label, via_alias FROM mentions;

DROP TABLE mentions;
ALTER TABLE mentions_unkeyed RENAME TO mentions;
