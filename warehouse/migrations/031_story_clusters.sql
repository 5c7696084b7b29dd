-- Story clusters: the same story syndicated or lightly edited is one cluster.
--
-- Each article gets a MinHash signature of its word shingles (parsers.minhash) and
-- one bucket key per LSH band; articles sharing a bucket are candidates, and a
-- candidate whose estimated Jaccard similarity reaches warehouse.clusters.THRESHOLD
-- gives its cluster to the new article. A cluster's id is the article_id of the
-- first article loaded into it.

ALTER TABLE articles ADD COLUMN cluster_id VARCHAR;

CREATE TABLE article_signatures (
    article_id      VARCHAR PRIMARY KEY,
    minhash         BLOB NOT NULL,            -- parsers.minhash.PERMUTATIONS little-endian uint32
    shingles        INTEGER NOT NULL          -- distinct shingles in title and body
);

CREATE TABLE article_buckets (
    bucket          UBIGINT NOT NULL,         -- LSH band key (band number included)
    article_id      VARCHAR NOT NULL
);

-- One row per cluster: how big, where and when it was first seen. Times are UTC where the
-- page gives its zone, else the wall-clock time it prints (else when it was loaded).
CREATE VIEW clusters AS
WITH members AS (
    SELECT cluster_id, article_id, title, site_name, source, url,
           coalesce(published_utc AT TIME ZONE 'UTC', published_at, loaded_at AT TIME ZONE 'UTC') AS seen_at
    FROM articles WHERE cluster_id IS NOT NULL
),
copies AS (
    SELECT a.cluster_id, count(*) AS exact_duplicates
    FROM duplicates d JOIN articles a ON a.article_id = d.duplicate_of
    GROUP BY a.cluster_id
)
SELECT m.cluster_id,
       count(*) AS articles,
       count(DISTINCT coalesce(m.site_name, m.url)) AS sites,
       coalesce(any_value(c.exact_duplicates), 0) AS exact_duplicates,
       min(m.seen_at) AS first_seen_at,
       arg_min(coalesce(m.source, m.site_name), m.seen_at) AS first_seen_source,
       arg_min(m.site_name, m.seen_at) AS first_seen_site,
       arg_min(m.article_id, m.seen_at) AS first_article_id,
       arg_min(m.title, m.seen_at) AS title,
       max(m.seen_at) AS last_seen_at
FROM members m LEFT JOIN copies c USING (cluster_id)
GROUP BY m.cluster_id;
