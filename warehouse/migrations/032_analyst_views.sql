-- Analyst views. A "day" is the publication date as the page prints it (its own
-- wall clock); articles whose page gives no date count under a NULL day.

-- Every reject of every run, so rejects can be counted per run (the rejects table
-- keeps one row per page and reason, stamped with the last run that saw it).
CREATE TABLE reject_events (
    run_id          VARCHAR NOT NULL,
    uri             VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    rejected_at     TIMESTAMPTZ NOT NULL
);
INSERT INTO reject_events SELECT last_run_id, uri, stage, reason, rejected_at FROM rejects;

-- Articles per publication day, site and original source.
CREATE VIEW daily_volume AS
SELECT CAST(published_at AS DATE) AS day,
       coalesce(site_name, '(unknown)') AS site_name,
       coalesce(source, site_name, '(unknown)') AS source,
       count(*) AS articles,
       count(DISTINCT cluster_id) AS stories
FROM articles
GROUP BY ALL;

-- Mentions and articles per entity and publication day.
CREATE VIEW daily_entity_counts AS
SELECT CAST(a.published_at AS DATE) AS day, m.entity_id, e.name, e.label,
       count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN entities e USING (entity_id) JOIN articles a USING (article_id)
GROUP BY ALL;

-- Pairs of entities named in the same article (each pair once: entity_a < entity_b).
CREATE VIEW entity_cooccurrence AS
WITH named AS (
    SELECT DISTINCT m.article_id, m.entity_id,
           coalesce(a.published_utc AT TIME ZONE 'UTC', a.published_at, a.loaded_at AT TIME ZONE 'UTC') AS seen_at
    FROM mentions m JOIN articles a USING (article_id)
)
SELECT x.entity_id AS entity_a, ea.name AS name_a, ea.label AS label_a,
       y.entity_id AS entity_b, eb.name AS name_b, eb.label AS label_b,
       count(*) AS articles, min(x.seen_at) AS first_seen, max(x.seen_at) AS last_seen
FROM named x JOIN named y ON x.article_id = y.article_id AND x.entity_id < y.entity_id
JOIN entities ea ON ea.entity_id = x.entity_id
JOIN entities eb ON eb.entity_id = y.entity_id
GROUP BY ALL;

-- Most mentioned entities among articles published in [since, until):
--   SELECT * FROM top_entities(DATE '2016-12-01', DATE '2017-01-01', n := 10);
CREATE MACRO top_entities(since, until, n := 20) AS TABLE
SELECT m.entity_id, e.name, e.label, count(*) AS mentions, count(DISTINCT m.article_id) AS articles,
       min(a.published_at) AS first_seen, max(a.published_at) AS last_seen
FROM mentions m JOIN entities e USING (entity_id) JOIN articles a USING (article_id)
WHERE a.published_at >= since AND a.published_at < until
GROUP BY ALL
ORDER BY mentions DESC, articles DESC, e.name
LIMIT n;

-- Rejected pages per run, stage and reason, with one example.
CREATE VIEW rejects_by_run AS
SELECT r.run_id, runs.started_at, runs.flow_run_name, r.stage, r.reason,
       count(DISTINCT r.uri) AS pages, min(r.uri) AS example
FROM reject_events r LEFT JOIN runs USING (run_id)
GROUP BY ALL;
