"""extract_metadata never fails on odd input: any JSON-LD shape, any attribute values."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.dom import parse_html
from parsers.html_meta import PageMetadata, extract_metadata

KEYS = ["@type", "@id", "@graph", "headline", "name", "author", "datePublished", "dateModified", "publisher",
        "articleSection", "inLanguage", "articleBody", "mainEntity", "sourceOrganization", "isBasedOn", "url"]
TYPES = ["NewsArticle", "Article", "Person", "Organization", "WebPage", ["NewsArticle", "Thing"], "schema:Article"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(TYPES),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    max_leaves=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_ld_shape(value):
    script = f'<script type="application/ld+json">{json.dumps(value)}</script>'
    html = f"<html><head>{script}</head><body><p>x</p></body></html>"
    result = extract_metadata(parse_html(html), url="https://example.org/a")
    assert isinstance(result, PageMetadata)
    assert all(isinstance(name, str) and name for name in result.authors)


attribute_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"<>&\x00'),
                         max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["og:title", "article:published_time", "author", "og:locale", "article:section", "date"]),
    attribute_text,
    attribute_text,
)
def test_any_meta_and_byline_values(key, value, byline):
    html = (
        f'<html lang="{value}"><head><meta property="{key}" content="{value}"><meta name="{key}" content="{value}">'
        f'<link rel="canonical" href="{value}"></head><body><article><h1>{byline}</h1>'
        f'<p class="byline">{byline}</p><time datetime="{value}">{byline}</time></article></body></html>'
    )
    result = extract_metadata(parse_html(html), url="https://example.org/a")
    assert isinstance(result, PageMetadata)
    if result.published_at is not None:
        assert result.published_tz_known == (result.published_at.tzinfo is not None)
