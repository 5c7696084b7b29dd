"""robots.txt (RFC 9309) for one user agent: parse once per host, ask per path.

``urllib.robotparser`` takes the first matching rule and ignores ``*``/``$``; RFC 9309
says the longest matching pattern wins (``allow`` on a tie), which is what sites expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

__all__ = ["RobotsCache", "RobotsRules", "parse_robots", "product_token"]


def product_token(user_agent: str) -> str:
    """``"newsingest/0.1 (+https://...)"`` -> ``"newsingest"``: robots.txt groups name products."""
    return re.split(r"[/\s]", user_agent.strip(), maxsplit=1)[0].lower()


@dataclass(frozen=True)
class RobotsRules:
    """The rules of the one group that applies to us; no rules means everything is allowed."""

    rules: tuple[tuple[bool, str], ...] = ()  # (allow?, pattern)
    crawl_delay: float | None = None
    disallow_all: bool = False  # robots.txt unreachable (5xx): RFC 9309 says assume complete disallow
    unreachable: str = ""  # why robots.txt could not be read, when that is the reason for disallow_all

    @cached_property
    def _compiled(self) -> list[tuple[int, bool, re.Pattern[str]]]:
        return [(len(p), allow, _pattern_regex(p)) for allow, p in self.rules if p]

    def allows(self, path: str) -> bool:
        """May we fetch ``path`` (path plus query, starting with ``/``)?"""
        if path == "/robots.txt":
            return True
        if self.disallow_all:
            return False
        best: tuple[int, bool] | None = None
        for length, allow, regex in self._compiled:
            if regex.match(path) and (best is None or (length, allow) > best):
                best = (length, allow)
        return True if best is None else best[1]


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""))


def parse_robots(text: str, user_agent: str) -> RobotsRules:
    """Rules for ``user_agent`` (its product token), falling back to the ``*`` group."""
    token = product_token(user_agent)
    groups: dict[str, list[tuple[bool, str]]] = {}
    delays: dict[str, float] = {}
    current: list[str] = []
    in_agents = False  # consecutive user-agent lines open one group
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        field, value = (s.strip() for s in line.split(":", 1))
        field = field.lower()
        if field == "user-agent":
            if not in_agents:
                current = []
            current.append(value.lower())
            groups.setdefault(value.lower(), [])
            in_agents = True
            continue
        in_agents = False
        if field in ("allow", "disallow"):
            for agent in current:
                groups[agent].append((field == "allow", value))
        elif field == "crawl-delay":
            try:
                delay = float(value)
            except ValueError:
                continue
            for agent in current:
                delays[agent] = delay
    mine = [a for a in groups if a != "*" and (a == token or (a and a in token))]
    chosen = mine or (["*"] if "*" in groups else [])
    rules = tuple(rule for agent in chosen for rule in groups[agent])
    crawl_delay = max((delays[a] for a in chosen if a in delays), default=None)
    return RobotsRules(rules=rules, crawl_delay=crawl_delay)


class RobotsCache:
    """Rules by host for one run, shared by every fetcher of the run.

    A plain object rather than a dict on purpose: orchestration layers copy collections
    they are handed (Prefect rebuilds task arguments), and a copy would forget hosts.
    """

    def __init__(self) -> None:
        self._rules: dict[str, RobotsRules] = {}

    def get(self, host: str) -> RobotsRules | None:
        return self._rules.get(host)

    def put(self, host: str, rules: RobotsRules) -> None:
        self._rules[host] = rules

    def __len__(self) -> int:
        return len(self._rules)
