from __future__ import annotations

import pytest

from flows.http.urls import canonicalize, prefer_canonical, same_site


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://WWW.Example.COM:80/a?utm_source=x&b=2&a=1&fbclid=z#top", "http://www.example.com/a?a=1&b=2"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/x?gclid=1&mc_cid=2&mc_eid=3&UTM_Medium=4", "https://example.com/x"),
        ("https://user:secret@example.com/x", "https://example.com/x"),
        ("https://example.com/x?q=a%20b&p=c+d", "https://example.com/x?p=c+d&q=a%20b"),
        ("https://example.com./x", "https://example.com/x"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("https://[::1]:443/x", "https://[::1]/x"),
        ("  https://example.com/x?ref=home  ", "https://example.com/x?ref=home"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize(url) == expected


def test_canonicalize_is_idempotent() -> None:
    url = "HTTP://Example.com:80/a/b?z=1&utm_campaign=q&a=2#f"
    assert canonicalize(canonicalize(url)) == canonicalize(url)


def test_same_site_uses_the_registrable_domain() -> None:
    assert same_site("https://www.bbc.co.uk/news", "https://bbc.co.uk/x")
    assert same_site("http://news.example.com/", "https://example.com/")
    assert not same_site("https://www.bbc.co.uk/", "https://www.itv.co.uk/")
    assert not same_site("https://alice.github.io/", "https://bob.github.io/")  # public suffix
    assert same_site("http://127.0.0.1:1/", "http://127.0.0.1:2/")


def test_canonical_link_only_when_on_the_same_site() -> None:
    page = "https://www.example.com/story?id=7&utm_source=rss"
    assert prefer_canonical(page, "https://example.com/2024/story") == "https://example.com/2024/story"
    assert prefer_canonical(page, "/amp/story#x") == "https://www.example.com/amp/story"
    assert prefer_canonical(page, "https://other.org/story") == "https://www.example.com/story?id=7"
    assert prefer_canonical(page, "javascript:void(0)") == "https://www.example.com/story?id=7"
    assert prefer_canonical(page, None) == "https://www.example.com/story?id=7"
