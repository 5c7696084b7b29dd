-- What each reject reason means: the catalogue ``warehouse.reject_codes`` declares, as rows an analyst
-- joins to (tests/test_reject_codes.py checks both agree). One row per reason and stage it occurs at; the
-- one family with a parameter, ``http_<status>``, has a row per stage holding its LIKE pattern 'http_%'.
-- Join: rejects r LEFT JOIN reject_reasons m ON m.stage = r.stage AND r.reason LIKE m.reason
-- (every code matches one row: a plain code holds no '%', and no code is another's with '_' swapped).
--
-- A view over its rows, not a table: it keeps no data in the file, and the same rows as a table (no
-- key, no index) tipped tests/test_warehouse.py's 8 MB batch-budget test: 3 of 5 runs failed, against
-- 0 of 10 as a view (and 0 of 6 without either). rejects keeps no foreign key to it. A changed
-- catalogue is a new migration that writes the whole list again: CREATE OR REPLACE VIEW reject_reasons.
--
--   reason       the code in rejects.reason, or a family's LIKE pattern
--   stage        a stage it occurs at (reject_stages.stage)
--   family       how a family's codes are made ('http_<status>'); NULL for a plain code
--   description  what it means, in one line
CREATE VIEW reject_reasons AS
SELECT * FROM (VALUES
    -- discover
    ('bad_content_encoding', 'discover', NULL, 'a compressed body that is corrupt'),
    ('blocked_address', 'discover', NULL, 'a host on a private, local or reserved address'),
    ('broken_link', 'discover', NULL, 'a symbolic link in a folder whose target is missing'),
    ('connect_error', 'discover', NULL, 'no connection to the server (after the retries)'),
    ('decompression_bomb', 'discover', NULL, 'a compressed body that expands beyond the limit'),
    ('dns_error', 'discover', NULL, 'the host name does not resolve'),
    ('empty', 'discover', NULL, 'a feed or sitemap with an empty body'),
    ('http_%', 'discover', 'http_<status>', 'the server, or the archived response, gave this HTTP status, not a page (http_404: not found)'),
    ('invalid_url', 'discover', NULL, 'not a valid http(s) URL (a URL list line, a link, a redirect)'),
    ('malformed_xml', 'discover', NULL, 'a feed or sitemap whose XML (or gzip) cannot be read'),
    ('not_a_feed', 'discover', NULL, 'a feed URL that serves something else (an HTML page, another XML)'),
    ('not_a_file', 'discover', NULL, 'a folder entry that is no regular file (a FIFO, a socket, a device)'),
    ('not_a_sitemap', 'discover', NULL, 'a sitemap URL that serves something else (an HTML page, another XML)'),
    ('path_not_found', 'discover', NULL, 'a named file, folder or URL list that does not exist'),
    ('redirect_loop', 'discover', NULL, 'redirects that lead back to a URL already visited'),
    ('robots_disallowed', 'discover', NULL, 'robots.txt disallows the URL'),
    ('robots_unreachable', 'discover', NULL, 'robots.txt could not be read, so nothing is fetched'),
    ('sitemap_too_deep', 'discover', NULL, 'a sitemap nested deeper in sitemap indexes than the limit'),
    ('stacked_content_encoding', 'discover', NULL, 'a body compressed twice or more (stacked content codings)'),
    ('timeout', 'discover', NULL, 'the server did not answer in time (after the retries)'),
    ('too_large', 'discover', NULL, 'over a size limit: a file, an archive record, a body or a listing'),
    ('too_many_redirects', 'discover', NULL, 'more redirects than the limit'),
    ('too_many_sitemaps', 'discover', NULL, 'a sitemap left unread: the walk reached its sitemap limit'),
    ('unsupported_content_encoding', 'discover', NULL, 'a body compressed with a coding not read here'),
    ('unsupported_scheme', 'discover', NULL, 'a URL of another scheme than http or https'),
    -- read
    ('bad_gzip', 'read', NULL, 'a gzipped page file that is corrupt or cut short'),
    ('corrupt_warc', 'read', NULL, 'a WARC archive damaged here: the rest of it is not read'),
    ('http_%', 'read', 'http_<status>', 'the server, or the archived response, gave this HTTP status, not a page (http_404: not found)'),
    ('too_large', 'read', NULL, 'over a size limit: a file, an archive record, a body or a listing'),
    ('truncated_warc', 'read', NULL, 'a WARC archive that ends inside this record: the rest is lost'),
    ('unreadable', 'read', NULL, 'a file the operating system would not read'),
    ('unsupported_content_type', 'read', NULL, 'not a page: declared or sniffed as another type (PDF, image)'),
    ('unsupported_warc_record', 'read', NULL, 'a WARC record with no HTTP response (a resource record, no valid status)'),
    ('warc_revisit', 'read', NULL, 'a WARC revisit record: the archive holds no body for it'),
    -- fetch
    ('bad_content_encoding', 'fetch', NULL, 'a compressed body that is corrupt'),
    ('blocked_address', 'fetch', NULL, 'a host on a private, local or reserved address'),
    ('connect_error', 'fetch', NULL, 'no connection to the server (after the retries)'),
    ('decompression_bomb', 'fetch', NULL, 'a compressed body that expands beyond the limit'),
    ('dns_error', 'fetch', NULL, 'the host name does not resolve'),
    ('http_%', 'fetch', 'http_<status>', 'the server, or the archived response, gave this HTTP status, not a page (http_404: not found)'),
    ('invalid_url', 'fetch', NULL, 'not a valid http(s) URL (a URL list line, a link, a redirect)'),
    ('redirect_loop', 'fetch', NULL, 'redirects that lead back to a URL already visited'),
    ('robots_disallowed', 'fetch', NULL, 'robots.txt disallows the URL'),
    ('robots_unreachable', 'fetch', NULL, 'robots.txt could not be read, so nothing is fetched'),
    ('stacked_content_encoding', 'fetch', NULL, 'a body compressed twice or more (stacked content codings)'),
    ('timeout', 'fetch', NULL, 'the server did not answer in time (after the retries)'),
    ('too_large', 'fetch', NULL, 'over a size limit: a file, an archive record, a body or a listing'),
    ('too_many_redirects', 'fetch', NULL, 'more redirects than the limit'),
    ('unsupported_content_encoding', 'fetch', NULL, 'a body compressed with a coding not read here'),
    ('unsupported_content_type', 'fetch', NULL, 'not a page: declared or sniffed as another type (PDF, image)'),
    ('unsupported_scheme', 'fetch', NULL, 'a URL of another scheme than http or https'),
    -- parse
    ('document_too_large', 'parse', NULL, 'a page over the size the parser accepts'),
    ('empty_document', 'parse', NULL, 'no article text on the page (empty, no parsable HTML, only furniture)'),
    ('parse_crashed', 'parse', NULL, 'the parser''s worker process died on the page, twice'),
    ('parse_timeout', 'parse', NULL, 'the parser took longer than its limit, twice'),
    ('parser_error', 'parse', NULL, 'the parser failed on the page (a bug, in the detail)'),
    ('too_much_memory', 'parse', NULL, 'the worker needed more memory than its limit'),
    ('unsupported_content', 'parse', NULL, 'binary content, not HTML or text'),
    -- entities
    ('entities_crashed', 'entities', NULL, 'the entity worker process died on the article, twice'),
    ('entities_error', 'entities', NULL, 'entity finding failed on the article (a bug, in the detail)'),
    ('entities_timeout', 'entities', NULL, 'entity finding took longer than its limit, twice'),
    ('too_much_memory', 'entities', NULL, 'the worker needed more memory than its limit')
) AS reasons (reason, stage, family, description);
