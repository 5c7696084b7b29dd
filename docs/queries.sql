-- Analyst questions and the SQL that answers them, on the newsingest warehouse.
--
-- Run any of them with `newsingest sql "..."` or `duckdb -readonly data/news.duckdb`.
-- Each starts with `-- name: <slug>`; tests/test_analytics_queries.py runs every one
-- against a warehouse built from seeds/ and the corpora pages.
-- "This week" means the seven days up to the latest publication date in the
-- warehouse, so the questions also make sense on an archive.


-- name: cooccurring_people_this_week
-- Who is mentioned with whom this week? People named in the same articles, most shared articles first.
WITH latest AS (SELECT max(CAST(published_at AS DATE)) AS day FROM articles)
SELECT c.name_a, c.name_b, count(DISTINCT x.article_id) AS articles
FROM entity_cooccurrence c
JOIN mentions x ON x.entity_id = c.entity_a
JOIN mentions y ON y.entity_id = c.entity_b AND y.article_id = x.article_id
JOIN articles a ON a.article_id = x.article_id, latest
WHERE c.label_a = 'PERSON' AND c.label_b = 'PERSON'
  AND a.published_at >= latest.day - INTERVAL 6 DAY
GROUP BY ALL
ORDER BY articles DESC, c.name_a, c.name_b
LIMIT 20;


-- name: cooccurring_entities_overall
-- Which entities appear together most often, and since when?
SELECT name_a, label_a, name_b, label_b, articles, first_seen, last_seen
FROM entity_cooccurrence
ORDER BY articles DESC, name_a, name_b
LIMIT 20;


-- name: who_ran_the_story_first
-- Which sources ran a story first? Stories carried by more than one article, first source and time.
SELECT title, articles, sites, first_seen_source, first_seen_site, first_seen_at, last_seen_at
FROM clusters
ORDER BY articles DESC, first_seen_at
LIMIT 20;


-- name: top_entities_last_30_days
-- Who and what were mentioned most in the last 30 days of publication?
SELECT t.*
FROM (SELECT max(published_at) AS latest FROM articles) l,
     top_entities(l.latest - INTERVAL 30 DAY, l.latest + INTERVAL 1 DAY, n := 15) t;


-- name: daily_volume_by_site
-- How many articles did each site publish per day, over the last two weeks of data?
SELECT day, site_name, sum(articles) AS articles, sum(stories) AS stories
FROM daily_volume
WHERE day >= (SELECT max(day) FROM daily_volume) - INTERVAL 13 DAY
GROUP BY ALL
ORDER BY day DESC, articles DESC, site_name;


-- name: undated_articles_by_site
-- Which sites give no publication date (articles that fall outside every daily count)?
SELECT coalesce(site_name, '(unknown)') AS site_name, count(*) AS undated, any_value(url) AS example
FROM articles
WHERE published_at IS NULL
GROUP BY ALL
UNION ALL
SELECT '(all sites)', count(*) FILTER (WHERE published_at IS NULL), NULL FROM articles
ORDER BY undated DESC;


-- name: entity_trend_week_over_week
-- Which entities gained the most mentions this week compared with the week before?
WITH latest AS (SELECT max(day) AS day FROM daily_entity_counts),
weeks AS (
    SELECT d.entity_id, d.name, d.label,
           sum(d.mentions) FILTER (WHERE d.day > latest.day - 7) AS this_week,
           sum(d.mentions) FILTER (WHERE d.day <= latest.day - 7 AND d.day > latest.day - 14) AS week_before
    FROM daily_entity_counts d, latest
    GROUP BY ALL
)
SELECT name, label, coalesce(this_week, 0) AS this_week, coalesce(week_before, 0) AS week_before,
       coalesce(this_week, 0) - coalesce(week_before, 0) AS change
FROM weeks
ORDER BY change DESC, name
LIMIT 20;


-- name: rejects_of_the_latest_run
-- What did the last run reject, at which stage, and why?
SELECT stage, reason, pages, example
FROM rejects_by_run
WHERE run_id = (SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1)
ORDER BY pages DESC, reason;


-- name: rejects_per_run
-- How do reject reasons move from run to run?
SELECT started_at, run_id, reason, sum(pages) AS pages
FROM rejects_by_run
GROUP BY ALL
ORDER BY started_at DESC NULLS LAST, pages DESC;


-- name: spellings_of_the_most_mentioned_people
-- Under which spellings do the most mentioned people appear (surnames, possessives, acronyms)?
SELECT a.name, a.alias, a.mentions, a.articles
FROM entity_aliases a
JOIN (SELECT entity_id FROM entities WHERE label = 'PERSON' ORDER BY mentions DESC, name LIMIT 10) p USING (entity_id)
ORDER BY a.name, a.mentions DESC, a.alias;


-- name: short_forms_defined_by_articles
-- Which acronyms and short names did an article define, and for what?
SELECT r.alias, e.name AS stands_for, e.label, e.mentions, a.title AS defined_in
FROM entity_redirects r
JOIN entities e USING (entity_id)
JOIN articles a ON a.article_id = r.defined_in
ORDER BY e.mentions DESC, r.alias;


-- name: low_confidence_share_by_label
-- How much of each label rests on a single mention (kept, but marked low-confidence)?
SELECT label, count(*) AS entities, count(*) FILTER (WHERE low_confidence) AS singletons,
       round(100.0 * count(*) FILTER (WHERE low_confidence) / count(*), 1) AS singleton_pct
FROM entities
GROUP BY ALL
ORDER BY entities DESC;


-- name: sources_covering_a_person
-- Which sources write most about each of the five most mentioned people?
WITH people AS (
    SELECT entity_id, name FROM entities WHERE label = 'PERSON' ORDER BY mentions DESC, name LIMIT 5
)
SELECT p.name, coalesce(a.source, a.site_name, '(unknown)') AS source, count(DISTINCT a.article_id) AS articles
FROM people p JOIN mentions m USING (entity_id) JOIN articles a USING (article_id)
GROUP BY ALL
ORDER BY p.name, articles DESC, source;


-- name: syndicated_stories
-- Which stories ran on more than one site (near-duplicates), and which exact copies were skipped?
SELECT c.title, c.articles, c.sites, c.exact_duplicates, c.first_seen_source, c.first_seen_at,
       list(a.site_name ORDER BY a.published_at) AS sites_in_order
FROM clusters c JOIN articles a USING (cluster_id)
WHERE c.articles > 1 OR c.exact_duplicates > 0
GROUP BY ALL
ORDER BY c.articles DESC, c.first_seen_at;


-- name: articles_without_entities
-- Which articles have no entity at all (another language, or a page the model found nothing in)?
SELECT a.language, count(*) AS articles, any_value(a.title) AS example
FROM articles a
WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.article_id)
GROUP BY ALL
ORDER BY articles DESC;


-- name: search_crimea_sanctions
-- Which articles are about sanctions over Crimea? BM25 full-text ranking with the search_articles
-- macro (needs the fts extension loaded for stem(), see README "Search"; `newsingest search
-- "crimea sanctions"` does the same from the command line).
SELECT a.title, a.site_name, CAST(a.published_at AS DATE) AS day, round(s.score, 3) AS score
FROM search_articles('crimea sanctions') s JOIN articles a USING (article_id)
ORDER BY s.score DESC, a.article_id
LIMIT 10;
