"""Which process is this, and is the process that started a run still alive?

A run killed with SIGKILL cannot record its own end, so it stays ``running``.
The next run looks at such rows: on the same host the recorded pid is checked
(and its start time, since pids are reused); a run from another host is judged
by its heartbeat, the time its last batch was loaded.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ProcessIdentity", "current_process", "is_alive"]


@dataclass(frozen=True)
class ProcessIdentity:
    host: str
    pid: int
    token: str | None  # boot id + start time in clock ticks (Linux), None where /proc is absent


def current_process() -> ProcessIdentity:
    pid = os.getpid()
    return ProcessIdentity(host=socket.gethostname(), pid=pid, token=_process_token(pid))


def is_alive(identity: ProcessIdentity) -> bool | None:
    """True or False for a process on this host; None when it ran elsewhere (cannot tell from here)."""
    if identity.host != socket.gethostname():
        return None
    try:
        os.kill(identity.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        pass
    if identity.token is not None:
        current = _process_token(identity.pid)
        if current is not None and current != identity.token:
            return False  # the pid now belongs to another process
    return not _is_zombie(identity.pid)


def _process_token(pid: int) -> str | None:
    try:
        boot_id = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its closing one.
    fields = stat.rsplit(")", 1)[-1].split()
    return f"{boot_id}:{fields[19]}" if len(fields) > 19 else None


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat.rsplit(")", 1)[-1].split()
    return bool(fields) and fields[0] == "Z"
