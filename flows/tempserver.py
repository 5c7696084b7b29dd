"""The temporary Prefect server of a `newsingest run` with no PREFECT_API_URL: it outlives no run.

Prefect starts one itself on first use (``SubprocessASGIServer``) as a plain child process.
Two things then go wrong: Ctrl-C in a terminal reaches the whole process group, so the server
dies at once while the run still has states, logs and events to report (the run then goes
on against a dead API and ends in minutes of connection errors); and a CLI killed with
SIGKILL leaves the server running, unowned.

So the CLI starts that same server object first, in the main thread, with two changes:

- in its own session, so a terminal's Ctrl-C reaches the run, which stops cleanly and
  reports Cancelled; the server is stopped by the CLI on its way out (Prefect's atexit);
- with a parent-death signal (Linux ``PR_SET_PDEATHSIG``): if the CLI dies any way at all,
  SIGKILL included, the kernel sends the server SIGTERM.

Prefect's own clients then find the server already running and use it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import threading
import types
from typing import Any

__all__ = ["start_temporary_server"]

_PR_SET_PDEATHSIG = 1


def start_temporary_server() -> Any | None:
    """Start Prefect's temporary server as described above; None when a server is configured or allowed none."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    if threading.current_thread() is not threading.main_thread():
        return None  # the parent-death signal follows the thread that started the child
    server = SubprocessASGIServer()  # the instance Prefect's clients use
    if not server.running:
        server._run_uvicorn_command = types.MethodType(_run_uvicorn_command, server)
        server.start()
    return server


def _run_uvicorn_command(self: Any) -> subprocess.Popen[Any]:
    """Prefect's ``SubprocessASGIServer._run_uvicorn_command`` (3.x), started in its own session and
    bound to this process's life."""
    import prefect
    from prefect.settings import get_current_settings

    server_env = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    return subprocess.Popen(
        args=[
            sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
            "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
            "--log-level", "error", "--lifespan", "on",
        ],  # fmt: skip
        env={**os.environ, **server_env, **get_current_settings().to_environment_variables(exclude_unset=True)},
        start_new_session=True,
        preexec_fn=_die_with_parent(),
    )


def _die_with_parent() -> Any:
    """A pre-exec hook asking the kernel to SIGTERM the child when its parent dies (Linux); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    libc = ctypes.CDLL(libc_name, use_errno=True)
    parent = os.getpid()

    def hook() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os.kill(os.getpid(), signal.SIGTERM)

    return hook
