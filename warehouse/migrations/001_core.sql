-- Core tables: one row per article, entity, mention, run, reject and known duplicate.

CREATE TABLE runs (
    run_id          VARCHAR PRIMARY KEY,      -- the Prefect flow run id when run through Prefect
    flow_run_name   VARCHAR,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    status          VARCHAR NOT NULL,         -- running | completed | failed
    inputs          VARCHAR[],
    pages_seen      INTEGER DEFAULT 0,
    articles_loaded INTEGER DEFAULT 0,        -- new or changed articles
    unchanged       INTEGER DEFAULT 0,        -- already in the warehouse with the same content
    duplicates      INTEGER DEFAULT 0,
    rejects         INTEGER DEFAULT 0,
    error           VARCHAR
);

CREATE TABLE articles (
    article_id      VARCHAR PRIMARY KEY,      -- hash of the canonical URL (or of the input path)
    url             VARCHAR NOT NULL,         -- where the page was read or fetched
    canonical_url   VARCHAR,
    content_hash    VARCHAR NOT NULL,         -- hash of the cleaned title and body
    title           VARCHAR,
    body            VARCHAR NOT NULL,         -- paragraphs separated by one blank line
    authors         VARCHAR[],
    published_at    TIMESTAMP,                -- wall-clock time as the page states it
    published_tz    VARCHAR,                  -- the page's UTC offset (+03:00), NULL when the page gives none
    published_utc   TIMESTAMPTZ,              -- the instant, only when the zone is known
    modified_at     TIMESTAMP,
    language        VARCHAR,
    site_name       VARCHAR,
    source          VARCHAR,                  -- original source of a syndicated story
    section         VARCHAR,
    input_source    VARCHAR NOT NULL,         -- the configured input this page came from
    input_format    VARCHAR NOT NULL,         -- html | text
    first_run_id    VARCHAR NOT NULL,
    last_run_id     VARCHAR NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE entities (
    entity_id       VARCHAR PRIMARY KEY,      -- hash of label and name: the same across runs and databases
    name            VARCHAR NOT NULL,
    label           VARCHAR NOT NULL,
    UNIQUE (name, label)
);

CREATE TABLE mentions (
    article_id      VARCHAR NOT NULL,
    entity_id       VARCHAR NOT NULL,
    start_char      INTEGER NOT NULL,         -- offsets into articles.body
    end_char        INTEGER NOT NULL,
    surface         VARCHAR NOT NULL,         -- the text as written ("Kirby" for John Kirby)
    PRIMARY KEY (article_id, start_char, end_char)
);

CREATE TABLE rejects (
    uri             VARCHAR NOT NULL,
    input_source    VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,         -- read | fetch | parse | load
    reason          VARCHAR NOT NULL,         -- short stable code, e.g. empty_document
    detail          VARCHAR,
    first_run_id    VARCHAR NOT NULL,
    last_run_id     VARCHAR NOT NULL,
    rejected_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (uri, stage, reason)
);

CREATE TABLE duplicates (
    uri             VARCHAR PRIMARY KEY,      -- a page whose cleaned text is already loaded under another URL
    duplicate_of    VARCHAR NOT NULL,         -- articles.article_id
    input_source    VARCHAR NOT NULL,
    first_run_id    VARCHAR NOT NULL,
    last_run_id     VARCHAR NOT NULL
);

CREATE INDEX articles_content_hash ON articles (content_hash);
CREATE INDEX mentions_entity ON mentions (entity_id);
