-- Extraction health: per run and source, how much of each field the parsers found.
-- A site redesign shows up here as a drop against the source's own history.

CREATE TABLE source_health (
    run_id              VARCHAR NOT NULL,
    source              VARCHAR NOT NULL,     -- the configured input (source name, folder or file)
    measured_at         TIMESTAMPTZ NOT NULL,
    articles            INTEGER NOT NULL,     -- pages parsed into articles this run
    title_share         DOUBLE NOT NULL,      -- 0..1: share with a title
    authors_share       DOUBLE NOT NULL,      -- share with at least one author
    published_share     DOUBLE NOT NULL,      -- share with a publication time
    body_share          DOUBLE NOT NULL,      -- share with a body over 200 characters
    median_body_chars   DOUBLE NOT NULL,
    flags               VARCHAR[],            -- metrics that dropped against the source's history
    PRIMARY KEY (run_id, source)
);
