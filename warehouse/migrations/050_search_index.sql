-- Full-text search index kept up to date batch by batch (replaces the fts extension's
-- fts_main_articles snapshot, which was rebuilt over the whole table after every run).
--
-- The analyser is the one `PRAGMA create_fts_index(..., stemmer = 'porter', stopwords = 'english',
-- strip_accents = 1, lower = 1)` builds with the pinned extension: accents stripped, lower-cased,
-- split on digits, punctuation and white space, the extension's 571 English stop words dropped
-- (before stemming, as it does), Porter stems. Title and body make one document, as for
-- match_bm25 without `fields`. `stem()` comes from the fts extension: the writer loads it
-- before migrating (warehouse.connection.connect), analysts `LOAD` it by path (README "Search").

CREATE TABLE search_stopwords (sw VARCHAR PRIMARY KEY);
INSERT INTO search_stopwords SELECT unnest([
    'a', 'a''s', 'able', 'about', 'above', 'according', 'accordingly', 'across', 'actually', 'after', 'afterwards',
    'again', 'against', 'ain''t', 'all', 'allow', 'allows', 'almost', 'alone', 'along', 'already', 'also', 'although',
    'always', 'am', 'among', 'amongst', 'an', 'and', 'another', 'any', 'anybody', 'anyhow', 'anyone', 'anything',
    'anyway', 'anyways', 'anywhere', 'apart', 'appear', 'appreciate', 'appropriate', 'are', 'aren''t', 'around', 'as',
    'aside', 'ask', 'asking', 'associated', 'at', 'available', 'away', 'awfully', 'b', 'be', 'became', 'because',
    'become', 'becomes', 'becoming', 'been', 'before', 'beforehand', 'behind', 'being', 'believe', 'below', 'beside',
    'besides', 'best', 'better', 'between', 'beyond', 'both', 'brief', 'but', 'by', 'c', 'c''mon', 'c''s', 'came',
    'can', 'can''t', 'cannot', 'cant', 'cause', 'causes', 'certain', 'certainly', 'changes', 'clearly', 'co', 'com',
    'come', 'comes', 'concerning', 'consequently', 'consider', 'considering', 'contain', 'containing', 'contains',
    'corresponding', 'could', 'couldn''t', 'course', 'currently', 'd', 'definitely', 'described', 'despite', 'did',
    'didn''t', 'different', 'do', 'does', 'doesn''t', 'doing', 'don''t', 'done', 'down', 'downwards', 'during', 'e',
    'each', 'edu', 'eg', 'eight', 'either', 'else', 'elsewhere', 'enough', 'entirely', 'especially', 'et', 'etc',
    'even', 'ever', 'every', 'everybody', 'everyone', 'everything', 'everywhere', 'ex', 'exactly', 'example', 'except',
    'f', 'far', 'few', 'fifth', 'first', 'five', 'followed', 'following', 'follows', 'for', 'former', 'formerly',
    'forth', 'four', 'from', 'further', 'furthermore', 'g', 'get', 'gets', 'getting', 'given', 'gives', 'go', 'goes',
    'going', 'gone', 'got', 'gotten', 'greetings', 'h', 'had', 'hadn''t', 'happens', 'hardly', 'has', 'hasn''t', 'have',
    'haven''t', 'having', 'he', 'he''s', 'hello', 'help', 'hence', 'her', 'here', 'here''s', 'hereafter', 'hereby',
    'herein', 'hereupon', 'hers', 'herself', 'hi', 'him', 'himself', 'his', 'hither', 'hopefully', 'how', 'howbeit',
    'however', 'i', 'i''d', 'i''ll', 'i''m', 'i''ve', 'ie', 'if', 'ignored', 'immediate', 'in', 'inasmuch', 'inc',
    'indeed', 'indicate', 'indicated', 'indicates', 'inner', 'insofar', 'instead', 'into', 'inward', 'is', 'isn''t',
    'it', 'it''d', 'it''ll', 'it''s', 'its', 'itself', 'j', 'just', 'k', 'keep', 'keeps', 'kept', 'know', 'known',
    'knows', 'l', 'last', 'lately', 'later', 'latter', 'latterly', 'least', 'less', 'lest', 'let', 'let''s', 'like',
    'liked', 'likely', 'little', 'look', 'looking', 'looks', 'ltd', 'm', 'mainly', 'many', 'may', 'maybe', 'me', 'mean',
    'meanwhile', 'merely', 'might', 'more', 'moreover', 'most', 'mostly', 'much', 'must', 'my', 'myself', 'n', 'name',
    'namely', 'nd', 'near', 'nearly', 'necessary', 'need', 'needs', 'neither', 'never', 'nevertheless', 'new', 'next',
    'nine', 'no', 'nobody', 'non', 'none', 'noone', 'nor', 'normally', 'not', 'nothing', 'novel', 'now', 'nowhere', 'o',
    'obviously', 'of', 'off', 'often', 'oh', 'ok', 'okay', 'old', 'on', 'once', 'one', 'ones', 'only', 'onto', 'or',
    'other', 'others', 'otherwise', 'ought', 'our', 'ours', 'ourselves', 'out', 'outside', 'over', 'overall', 'own',
    'p', 'particular', 'particularly', 'per', 'perhaps', 'placed', 'please', 'plus', 'possible', 'presumably',
    'probably', 'provides', 'q', 'que', 'quite', 'qv', 'r', 'rather', 'rd', 're', 'really', 'reasonably', 'regarding',
    'regardless', 'regards', 'relatively', 'respectively', 'right', 's', 'said', 'same', 'saw', 'say', 'saying', 'says',
    'second', 'secondly', 'see', 'seeing', 'seem', 'seemed', 'seeming', 'seems', 'seen', 'self', 'selves', 'sensible',
    'sent', 'serious', 'seriously', 'seven', 'several', 'shall', 'she', 'should', 'shouldn''t', 'since', 'six', 'so',
    'some', 'somebody', 'somehow', 'someone', 'something', 'sometime', 'sometimes', 'somewhat', 'somewhere', 'soon',
    'sorry', 'specified', 'specify', 'specifying', 'still', 'sub', 'such', 'sup', 'sure', 't', 't''s', 'take', 'taken',
    'tell', 'tends', 'th', 'than', 'thank', 'thanks', 'thanx', 'that', 'that''s', 'thats', 'the', 'their', 'theirs',
    'them', 'themselves', 'then', 'thence', 'there', 'there''s', 'thereafter', 'thereby', 'therefore', 'therein',
    'theres', 'thereupon', 'these', 'they', 'they''d', 'they''ll', 'they''re', 'they''ve', 'think', 'third', 'this',
    'thorough', 'thoroughly', 'those', 'though', 'three', 'through', 'throughout', 'thru', 'thus', 'to', 'together',
    'too', 'took', 'toward', 'towards', 'tried', 'tries', 'truly', 'try', 'trying', 'twice', 'two', 'u', 'un', 'under',
    'unfortunately', 'unless', 'unlikely', 'until', 'unto', 'up', 'upon', 'us', 'use', 'used', 'useful', 'uses',
    'using', 'usually', 'uucp', 'v', 'value', 'various', 'very', 'via', 'viz', 'vs', 'w', 'want', 'wants', 'was',
    'wasn''t', 'way', 'we', 'we''d', 'we''ll', 'we''re', 'we''ve', 'welcome', 'well', 'went', 'were', 'weren''t',
    'what', 'what''s', 'whatever', 'when', 'whence', 'whenever', 'where', 'where''s', 'whereafter', 'whereas',
    'whereby', 'wherein', 'whereupon', 'wherever', 'whether', 'which', 'while', 'whither', 'who', 'who''s', 'whoever',
    'whole', 'whom', 'whose', 'why', 'will', 'willing', 'wish', 'with', 'within', 'without', 'won''t', 'wonder',
    'would', 'wouldn''t', 'x', 'y', 'yes', 'yet', 'you', 'you''d', 'you''ll', 'you''re', 'you''ve', 'your', 'yours',
    'yourself', 'yourselves', 'z', 'zero'
]);

-- One row per article: its number of indexed words (title and body), the BM25 document length.
CREATE TABLE search_docs (
    article_id      VARCHAR PRIMARY KEY,      -- articles.article_id
    length          INTEGER NOT NULL
);

-- One row per article and stemmed term: how often the term occurs in its title and body.
-- No ART index on term: DuckDB 1.5 plans a sequential scan for `term = ...` and `term IN (...)`
-- anyway (checked with EXPLAIN), and an index would cost memory and time on every batch; the
-- term column is dictionary-compressed and scans fast.
CREATE TABLE search_terms (
    article_id      VARCHAR NOT NULL,
    term            VARCHAR NOT NULL,
    tf              INTEGER NOT NULL
);

-- The words of a text, before stop words and stemming (the extension's `tokenize`).
CREATE MACRO search_words(s) AS
    string_split_regex(
        regexp_replace(lower(strip_accents(CAST(s AS VARCHAR))),
                       '[0-9!@#$%^&*()_+={}\[\]:;<>,.?~\\/\|''"`-]+', ' ', 'g'),
        '\s+');

-- Articles matching any word of `query`, with their BM25 score (k1 = 1.2, b = 0.75 and log10, as
-- match_bm25); N, df and avgdl are read at query time, so they follow every batch:
--   SELECT a.title, s.score FROM search_articles('crimea sanctions') s JOIN articles a USING (article_id)
--   ORDER BY s.score DESC LIMIT 10;
CREATE MACRO search_articles(query, k := 1.2, b := 0.75) AS TABLE
WITH query_terms AS (
    SELECT DISTINCT stem(unnest(search_words(query)), 'porter') AS term
),
postings AS MATERIALIZED (  -- read once, used twice: about half the latency
    SELECT article_id, term, tf FROM search_terms WHERE term IN (SELECT term FROM query_terms)
),
df AS (
    SELECT term, count(*) AS df FROM postings GROUP BY term
),
stats AS (
    SELECT count(*) AS n, avg(length) AS avgdl FROM search_docs
)
SELECT p.article_id,
       sum(log((stats.n - df.df + 0.5) / (df.df + 0.5) + 1)
           * (p.tf * (k + 1)) / (p.tf + k * (1 - b + b * d.length / stats.avgdl))) AS score
FROM postings p JOIN df USING (term) JOIN search_docs d USING (article_id), stats
GROUP BY p.article_id;

-- Backfill: every article already loaded, once.
INSERT INTO search_terms
WITH words AS (
    SELECT article_id, unnest(search_words(title)) AS word FROM articles
    UNION ALL
    SELECT article_id, unnest(search_words(body)) AS word FROM articles
)
SELECT article_id, stem(word, 'porter') AS term, count(*) AS tf
FROM words
WHERE len(word) > 0 AND word NOT IN (SELECT sw FROM search_stopwords)
GROUP BY ALL;

INSERT INTO search_docs
SELECT a.article_id, coalesce(sum(t.tf), 0) AS length
FROM articles a LEFT JOIN search_terms t USING (article_id)
GROUP BY a.article_id;

-- The snapshot index it replaces: no longer rebuilt, so it would only go stale.
DROP SCHEMA IF EXISTS fts_main_articles CASCADE;
