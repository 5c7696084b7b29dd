-- Running tallies behind each entity's label and name votes, kept batch by batch.
--
-- An entity's figures used to be recomputed from all its mentions whenever a batch
-- named it: for a name in the news every day ("United States") that is a scan of a
-- share of the whole mentions table per batch, so a batch's time and memory grew
-- with the warehouse. A batch that only adds articles now adds its own counts to
-- these tallies and to the entity's counts; only an entity that loses or gains
-- mentions some other way (a replaced article, a short form joined to its full
-- name) is recomputed from its mentions (warehouse.entities).

-- Per entity and label: the label vote (most articles, then most mentions).
CREATE TABLE entity_label_tallies (
    entity_id       VARCHAR NOT NULL,
    label           VARCHAR NOT NULL,
    articles        INTEGER NOT NULL,         -- articles giving the entity this label
    mentions        INTEGER NOT NULL,
    PRIMARY KEY (entity_id, label)
);

-- Per entity and name as articles resolve it: the name vote (the most used own spelling).
CREATE TABLE entity_name_tallies (
    entity_id       VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    own             INTEGER NOT NULL,         -- mentions of this name not joined through a short form
    mentions        INTEGER NOT NULL,
    PRIMARY KEY (entity_id, name)
);

INSERT INTO entity_label_tallies
SELECT entity_id, label, count(DISTINCT article_id), count(*) FROM mentions
WHERE label IS NOT NULL GROUP BY entity_id, label;
INSERT INTO entity_name_tallies
SELECT entity_id, name, count(*) FILTER (WHERE NOT via_alias), count(*) FROM mentions
WHERE name IS NOT NULL GROUP BY entity_id, name;
