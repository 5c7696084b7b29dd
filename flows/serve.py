"""``newsingest serve``: the deployments of ``prefect.yaml``, schedules included, served by one process.

For users with no worker: the process polls the Prefect server for due runs of its
deployments and runs them. Schedules live on the server, and the temporary server that
``newsingest run`` starts dies with its run, so serving needs a real one; without it we
say exactly what to start instead of letting Prefect fail later with a connection error.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from flows.deployments import find_project_file, read_deployments, runner_deployments

__all__ = ["NO_SERVER", "serve_deployments", "server_problem"]

_WORK_POOL_CLASH = """\
newsingest serve: {names} already deployed to a work pool on this server ({pools}).
A served deployment would take over the same name and mix the two set-ups, so serve one or the other.
To serve instead, delete them first:

{commands}
"""

NO_SERVER = """\
newsingest serve needs a Prefect server: schedules live on the server, and the temporary
one that `newsingest run` starts stops with each run. In another terminal, start one:

    .venv/bin/prefect server start

then point newsingest at it (once; Prefect keeps it in its profile) and serve again:

    .venv/bin/prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api
    .venv/bin/newsingest serve
"""


def server_problem() -> str | None:
    """Why serving cannot work right now, in words a user can act on; None when it can."""
    import httpx
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        return NO_SERVER
    try:
        response = httpx.get(url.rstrip("/") + "/health", timeout=10)
    except httpx.HTTPError as exc:
        return (
            f"newsingest serve: no Prefect server answers at PREFECT_API_URL={url} ({type(exc).__name__}).\n"
            "Start it with `.venv/bin/prefect server start`, or set PREFECT_API_URL to a server that runs.\n"
        )
    if response.status_code >= 500:
        return f"newsingest serve: the Prefect server at {url} answers {response.status_code}; is it healthy?\n"
    return None


def _deployed_to_pools(names: list[str]) -> str | None:
    """A message when deployments of these names exist on the server for a work pool (``prefect deploy``)."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    async def read() -> list[tuple[str, str, str]]:
        async with get_client() as client:
            found = await client.read_deployments(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=names))
            )
            return [
                ((await client.read_flow(d.flow_id)).name, d.name, d.work_pool_name) for d in found if d.work_pool_name
            ]

    pooled = asyncio.run(read())
    if not pooled:
        return None
    return _WORK_POOL_CLASH.format(
        names=", ".join(sorted(f"{flow}/{name}" for flow, name, _ in pooled)),
        pools=", ".join(sorted({pool for *_, pool in pooled})),
        commands="\n".join(f"    .venv/bin/prefect deployment delete {flow}/{name}" for flow, name, _ in pooled),
    )


def _ctrl_c_as_sigterm(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C takes the runner's graceful way out, the one it takes on SIGTERM.

    Prefect's runner stops on SIGTERM by cancelling its in-flight flow runs (each one ends
    *Cancelled* in Prefect, and in ``runs`` through the flow's stop on request). On Ctrl-C it
    got a KeyboardInterrupt instead, anywhere in its event loop: its run processes were killed
    outright and their runs stayed *Running* for good, holding daily-ingest's one slot; and a
    KeyboardInterrupt landing in a part of the loop that swallows it left serve running (the
    first Ctrl-C seemingly ignored). Before the runner has taken SIGTERM, Ctrl-C is an
    ordinary KeyboardInterrupt: nothing runs yet.
    """
    handler = signal.getsignal(signal.SIGTERM)
    if callable(handler) and handler is not _ctrl_c_as_sigterm:
        handler(signal.SIGTERM, frame)
    else:
        raise KeyboardInterrupt


def serve_deployments(
    *,
    prefect_file: str | Path | None = None,
    timezone: str | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> int:
    problem = server_problem()
    if problem:
        print(problem, file=sys.stderr, end="")
        return 2
    path = find_project_file(prefect_file)
    specs = read_deployments(path)
    clash = _deployed_to_pools([spec.name for spec in specs])
    if clash:
        print(clash, file=sys.stderr, end="")
        return 2
    os.chdir(path.parent)  # runs resolve relative parameters (sources.toml, data/) from the project
    previous = signal.signal(signal.SIGINT, _ctrl_c_as_sigterm)
    try:
        deployments = runner_deployments(specs, project_dir=path.parent, timezone=timezone, parameters=parameters)
        from prefect import serve

        serve(*deployments)  # returns on Ctrl-C or SIGTERM once it is serving
    except KeyboardInterrupt:  # Ctrl-C while the deployments were still being registered
        pass
    finally:
        signal.signal(signal.SIGINT, previous)
    print("newsingest serve: stopped", file=sys.stderr)
    return 0
