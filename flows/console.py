"""What `newsingest` shows on the console: one line per outcome, tracebacks only when asked for.

Prefect logs a failed flow run's traceback to the console at ERROR level. The CLI says the
cause in one line itself (and a failed run's artifact names it too), so those records are
kept off the console, and only off it: they still reach the Prefect API and the UI's logs.
``NEWSINGEST_DEBUG=1`` shows them again. Once a run is asked to stop (``flows.stopping``),
the tasks it cuts short (a fetch or a parse in flight) end Failed with ``RunInterrupted``:
their ERROR records are kept off the console too, which then says how the run ended in one line.
"""

from __future__ import annotations

import logging
import os

from flows.stopping import stop_requested

__all__ = ["DEBUG_ENV", "hide_tracebacks"]

DEBUG_ENV = "NEWSINGEST_DEBUG"


class _NoTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        return record.exc_info is None and stop_requested() is None


def hide_tracebacks() -> None:
    """Keep log records with a traceback off Prefect's console handlers (unless ``NEWSINGEST_DEBUG`` is set)."""
    if os.environ.get(DEBUG_ENV):
        return
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(), *(logger for logger in logging.Logger.manager.loggerDict.values()
                                      if isinstance(logger, logging.Logger))]  # fmt: skip
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, PrefectConsoleHandler) and not any(
                isinstance(f, _NoTraceback) for f in handler.filters
            ):
                handler.addFilter(_NoTraceback())
