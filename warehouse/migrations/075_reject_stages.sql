-- The stages a page can be rejected at, as a table: the list ``warehouse.records.RejectStage`` keeps
-- in step (tests/test_warehouse.py checks both). 001 wrote "read | fetch | parse | load" in a comment;
-- discover and entities came later. Analysts can join rejects.stage to it for the meaning.
CREATE TABLE reject_stages (
    stage   VARCHAR NOT NULL,  -- no key: a table of six rows needs no index for DuckDB to hold in memory
    meaning VARCHAR NOT NULL
);
INSERT INTO reject_stages VALUES
    ('discover', 'a named path, feed, sitemap or URL list that could not be listed'),
    ('read', 'a file or archive record that could not be read as a page'),
    ('fetch', 'a URL that could not be fetched as a page'),
    ('parse', 'a page that did not become an article'),
    ('entities', 'an article whose entities could not be found in time'),
    ('load', 'an article the warehouse could not take');
