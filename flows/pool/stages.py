"""The pipeline's stages as plain functions; the Prefect tasks in ``flows.ingest`` wrap them.

Keeping them free of Prefect lets tests, benchmarks and other runners call them directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from flows.http.urls import prefer_canonical
from flows.sources.files import RawPage
from parsers import ParseError, extract_article
from parsers.entities import find_mentions_by_language
from parsers.language import language_code
from warehouse.records import ArticleRecord, Reject, RejectReason, RejectStage
from warehouse.reject_codes import reject_reason

__all__ = ["find_entities", "parse_pages"]


def parse_pages(pages: Sequence[RawPage]) -> tuple[list[ArticleRecord], list[Reject]]:
    """Each page becomes an ``ArticleRecord`` or a ``Reject`` with the parser's reason."""
    records: list[ArticleRecord] = []
    rejects: list[Reject] = []
    for page in pages:
        try:
            article = extract_article(
                page.content, url=_page_url(page), content_type=page.content_type,
                language=language_code(page.headers.get("content-language")) or page.language_hint,
                profile=page.site_profile,
            )  # fmt: skip
        except ParseError as exc:
            rejects.append(Reject(page.uri, page.input_source, RejectStage.PARSE, reject_reason(exc.reason), str(exc)))
            continue
        except Exception as exc:  # a parser bug must cost one page, not the run
            detail = f"{type(exc).__name__}: {exc}"
            rejects.append(Reject(page.uri, page.input_source, RejectStage.PARSE, RejectReason.PARSER_ERROR, detail))
            continue
        if (url := _page_url(page)) is not None:  # a page may claim a canonical URL on its own site only
            article = replace(article, canonical_url=prefer_canonical(url, article.canonical_url))
        records.append(ArticleRecord(uri=page.uri, input_source=page.input_source, article=article))
    return records, rejects


def find_entities(records: Sequence[ArticleRecord]) -> list[ArticleRecord]:
    """Attach entity mentions found in each clean body, by the model of its language (``parsers.entity_models``)."""
    found = find_mentions_by_language([(record.article.body, record.article.language) for record in records])
    return [replace(record, mentions=mentions) if mentions is not None else record
            for record, mentions in zip(records, found, strict=True)]  # fmt: skip


def _page_url(page: RawPage) -> str | None:
    url = page.final_url or page.uri
    return url if url.startswith(("http://", "https://")) else None
