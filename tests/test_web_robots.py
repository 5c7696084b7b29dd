from __future__ import annotations

from flows.http.robots import RobotsRules, parse_robots, product_token

ROBOTS = """
# comment
User-agent: *
Disallow: /

User-agent: Googlebot
User-agent: NewsIngest
Disallow: /private      # trailing comment
Allow: /private/public
Disallow: /*.pdf$
Disallow: /search?
Crawl-delay: 2
"""


def test_our_group_is_chosen_over_the_wildcard_and_longest_match_wins() -> None:
    rules = parse_robots(ROBOTS, "newsingest/0.1 (+https://example.org)")
    assert rules.allows("/news/1")
    assert not rules.allows("/private/x")
    assert rules.allows("/private/public/x")
    assert not rules.allows("/files/a.pdf") and rules.allows("/files/a.pdf?x=1")
    assert not rules.allows("/search?q=1") and rules.allows("/search")
    assert rules.crawl_delay == 2.0


def test_other_agents_get_the_wildcard_group() -> None:
    rules = parse_robots(ROBOTS, "otherbot/1.0")
    assert not rules.allows("/news/1")
    assert rules.allows("/robots.txt")


def test_allow_wins_a_tie_and_empty_rules_allow_everything() -> None:
    assert parse_robots("User-agent: *\nDisallow: /a\nAllow: /a\n", "x").allows("/a")
    assert parse_robots("User-agent: *\nDisallow:\n", "x").allows("/anything")
    assert parse_robots("", "x").allows("/")
    assert not RobotsRules(disallow_all=True).allows("/")


def test_product_token() -> None:
    assert product_token("NewsIngest/0.1 (+https://x)") == "newsingest"
