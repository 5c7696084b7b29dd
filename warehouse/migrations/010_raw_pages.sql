-- Raw archive: every body fetched from the web, compressed, with what the server said about it,
-- so pages can be re-parsed without the network and fetched conditionally next time.
-- One row per distinct body of a URL; fetching the same body again only refreshes its metadata.
CREATE TABLE raw_pages (
    uri           VARCHAR     NOT NULL,  -- canonical URL as requested
    final_url     VARCHAR,               -- after redirects
    source        VARCHAR     NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    status        INTEGER,
    content_type  VARCHAR,
    headers       VARCHAR     NOT NULL,  -- JSON object of response headers (lower-case names)
    etag          VARCHAR,
    last_modified VARCHAR,
    body_sha256   VARCHAR     NOT NULL,  -- of the uncompressed body
    body_size     BIGINT      NOT NULL,  -- uncompressed bytes
    body_codec    VARCHAR     NOT NULL DEFAULT 'zlib',
    body          BLOB        NOT NULL
);

CREATE INDEX raw_pages_uri ON raw_pages (uri);
