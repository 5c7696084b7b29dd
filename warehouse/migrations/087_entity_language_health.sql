-- Entity coverage per run and language: how many of the run's articles got entities, and how
-- many had no model for their language (or no language detected). Beside source_health: a
-- language whose articles stop getting entities shows here, and "no model" is told apart from
-- "no names found".

CREATE TABLE entity_language_health (
    run_id          VARCHAR NOT NULL,
    language        VARCHAR NOT NULL,         -- ISO 639-1 code, or 'unknown' when none was detected
    measured_at     TIMESTAMPTZ NOT NULL,
    articles        INTEGER NOT NULL,         -- the run's articles in this language
    with_entities   INTEGER NOT NULL,         -- of them, with at least one entity mention
    no_model        INTEGER NOT NULL,         -- of them, read by no entity model (language without one)
    PRIMARY KEY (run_id, language)
);
