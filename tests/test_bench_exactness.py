"""bench.exactness: the diff of two article dumps names every page and field that changed."""

from __future__ import annotations

from bench.exactness import differences


def test_differences_name_the_changed_fields_and_missing_pages() -> None:
    before = {"c/1": {"title": "A", "body": "x"}, "c/2": {"error": "EmptyDocument"}, "c/3": {"body": "y"}}
    after = {"c/1": {"title": "B", "body": "x"}, "c/2": {"error": "EmptyDocument"}, "c/4": {"body": "y"}}
    found = differences(before, after)
    assert found == ["c/1: title: 'A' -> 'B'", "c/3: only in before", "c/4: only in after"]
    assert differences(before, before) == []
