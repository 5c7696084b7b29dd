"""A page a parser worker timed out or crashed on gets one more try in the run, outside the cache."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from prefect import flow, task

from flows.pipeline import second_chance
from warehouse.records import Reject


@dataclass(frozen=True)
class Item:
    uri: str


tries: dict[str, int] = {}


def _key(_context, parameters) -> str:
    return "second-chance-" + "+".join(item.uri for item in parameters["items"])


@task(cache_key_fn=_key, persist_result=True)
def flaky(items: list[Item], *, fails: dict[str, str], always: frozenset[str]) -> tuple[list[str], list[Reject]]:
    """Fails each item named in ``fails`` with that reason: on its first try, or every time if in ``always``."""
    done, rejects = [], []
    for item in items:
        tries[item.uri] = tries.get(item.uri, 0) + 1
        if item.uri in fails and (tries[item.uri] == 1 or item.uri in always):
            stage = "entities" if fails[item.uri].startswith("entities") else "parse"
            rejects.append(Reject(item.uri, "s", stage, fails[item.uri], f"try {tries[item.uri]}"))
        else:
            done.append(item.uri)
    return done, rejects


@flow
def run_batch(
    uris: list[str], fails: dict[str, str], always: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    items = [Item(uri) for uri in uris]
    outcome = flaky(items, fails=fails, always=always)
    done, rejects = second_chance(flaky, "b-1", items, outcome, fails=fails, always=always)
    return sorted(done), sorted(f"{r.uri}:{r.reason}" for r in rejects)


@pytest.fixture(autouse=True)
def fresh_tries():
    tries.clear()


def _uris(*names: str) -> list[str]:
    """Names unique to this test run: results persist in Prefect's storage from one pytest run to the next."""
    return [f"{RUN}-{name}" for name in names]


RUN = uuid.uuid4().hex[:12]


def test_timed_out_and_crashed_items_are_tried_again(prefect_server):
    u1, u2, u3, u4 = _uris("u1", "u2", "u3", "u4")
    done, rejects = run_batch([u1, u2, u3, u4], {u2: "parse_timeout", u3: "entities_crashed", u4: "empty_document"})
    assert done == sorted([u1, u2, u3])
    assert rejects == [f"{u4}:empty_document"]  # the page's own fault is not retried
    assert tries == {u1: 1, u2: 2, u3: 2, u4: 1}


def test_an_item_that_fails_twice_stays_rejected(prefect_server):
    v1, v2 = _uris("v1", "v2")
    done, rejects = run_batch([v1, v2], {v2: "parse_timeout"}, always=frozenset({v2}))
    assert done == [v1] and rejects == [f"{v2}:parse_timeout"]
    assert tries == {v1: 1, v2: 2}


def test_a_cached_timeout_is_tried_again_on_the_next_run(prefect_server):
    w1, w2 = _uris("w1", "w2")
    run_batch([w1, w2], {w2: "parse_timeout"}, always=frozenset({w2}))  # a bad spell: w2 failed twice
    tries.clear()
    done, rejects = run_batch([w1, w2], {})  # the spell is over; the batch's cached result still has the timeout
    assert done == sorted([w1, w2]) and rejects == []
    assert tries == {w2: 1}  # only the timed-out item ran again
