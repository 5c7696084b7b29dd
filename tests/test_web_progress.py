from __future__ import annotations

import io

from flows.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_live_on_a_terminal() -> None:
    out = _Terminal()
    with Progress("fetch", 3, stream=out, fps=1000) as progress:
        progress.advance()
        progress.advance(error=True)
        progress.advance()
    text = out.getvalue()
    assert "\r" in text and "fetch 3/3" in text and "1 errors" in text and text.endswith("\n")


def test_quiet_otherwise() -> None:
    out = io.StringIO()
    with Progress("fetch", 2, stream=out) as progress:
        progress.advance()
        progress.advance()
    assert out.getvalue() == ""
    assert progress.line().startswith("fetch 2/2")
