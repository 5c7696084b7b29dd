"""The public surfaces export what they document, and every exported name exists."""

import parsers
import warehouse


def test_parsers_exports():
    assert set(parsers.__all__) >= {"Article", "extract_article", "ParseError", "clean_text_dump", "sniff_content"}
    assert all(hasattr(parsers, name) for name in parsers.__all__)


def test_warehouse_exports():
    assert set(warehouse.__all__) >= {"connect", "connect_read_only", "load_batch", "ArticleRecord", "Reject"}
    assert all(hasattr(warehouse, name) for name in warehouse.__all__)
