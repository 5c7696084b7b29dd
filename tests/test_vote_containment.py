"""``_body_vote.containment`` sums the multiset intersection directly; it must equal the share
that ``Counter``'s ``&`` defines, on shingles of real-looking text and on any counts."""

from __future__ import annotations

import random
from collections import Counter

from parsers._body_vote import containment, shingles


def _by_definition(part: Counter[tuple[str, ...]], whole: Counter[tuple[str, ...]]) -> float:
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 0.0


def test_containment_is_the_intersections_share() -> None:
    rng = random.Random(14)
    words = "the ferry terminal opens in may and the new route runs twice a day".split()
    for _ in range(2000):
        first = " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        second = " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        a, b = shingles(first), shingles(second)
        assert containment(a, b) == _by_definition(a, b)
        assert containment(b, a) == _by_definition(b, a)


def test_containment_keeps_only_positive_counts_as_counter_and_does() -> None:
    rng = random.Random(15)
    for _ in range(5000):
        a = Counter({(rng.choice("abcdef"),): rng.randint(-2, 4) for _ in range(rng.randint(0, 6))})
        b = Counter({(rng.choice("abcdef"),): rng.randint(-2, 4) for _ in range(rng.randint(0, 6))})
        assert containment(a, b) == _by_definition(a, b)


def test_shingles_are_a_fresh_counter_each_time_though_cached() -> None:
    text = "the ferry terminal opens in may and the new route runs twice a day"
    first = shingles(text)
    first[("changed",)] = 3
    second = shingles(text)
    assert ("changed",) not in second
    assert second == Counter(zip(*(text.split()[i:] for i in range(4)), strict=False))
