"""Hypothesis mutations of real inputs: cut, copy, insert, flip bytes and (optionally) truncate."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hypothesis import strategies as st


def mutate(
    draw: Callable, page: bytes, *, inserts: Sequence[bytes], max_run: int, max_repeat: int, max_insert: int,
    truncate: bool = False,
) -> bytes:  # fmt: skip
    """Up to six edits of ``page``: drop or repeat a run of up to ``max_run`` bytes, insert random bytes or
    one of ``inserts``, flip a byte, or (with ``truncate``) cut the rest off."""
    data = bytearray(page)
    ops = ["cut", "copy", "insert", "flip"] + (["truncate"] if truncate else [])
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(ops))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        size = draw(st.integers(0, max_run))
        if op == "cut":
            del data[at : at + size]
        elif op == "copy":
            data[at:at] = data[at : at + size] * draw(st.integers(1, max_repeat))
        elif op == "insert":
            data[at:at] = draw(st.binary(max_size=max_insert) | st.sampled_from(list(inserts)))
        elif op == "flip" and data:
            data[at % len(data)] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[at:]
    return bytes(data)
