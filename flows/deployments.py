"""The deployments of ``prefect.yaml``: the pull step that finds the project, and the same
deployments as Python objects, so ``newsingest serve`` serves exactly what ``prefect deploy`` deploys.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "HOME_ENV",
    "PROJECT_FILE",
    "DeploymentSpec",
    "ProjectNotFound",
    "enter_project",
    "find_project_file",
    "read_deployments",
    "runner_deployments",
]

PROJECT_FILE = "prefect.yaml"
HOME_ENV = "NEWSINGEST_HOME"


class ProjectNotFound(RuntimeError):
    """No folder with newsingest's ``prefect.yaml`` where a flow run or ``serve`` looked."""


def enter_project(directory: str | None = None) -> dict[str, str]:
    """Pull step: run the flow from the repository folder (relative paths in parameters mean it).

    Looks in ``directory`` (``$NEWSINGEST_HOME`` in prefect.yaml), then in the folder the
    worker was started from (``$PWD``), and takes the first that holds ``prefect.yaml``.
    """
    tried = [d for d in (directory, os.environ.get(HOME_ENV), os.environ.get("PWD")) if d]
    for candidate in tried:
        folder = Path(candidate).expanduser()
        if (folder / PROJECT_FILE).is_file():
            os.chdir(folder)
            return {"directory": str(folder.resolve())}
    raise ProjectNotFound(
        f"no newsingest project (a folder with {PROJECT_FILE}) in {', '.join(tried) or 'no folder given'}: "
        f"start the worker from the repository folder, or set {HOME_ENV} to it"
    )


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    crons: list[tuple[str, str]] = field(default_factory=list)  # (cron, timezone)
    concurrency_limit: int | None = None


def find_project_file(given: str | Path | None = None) -> Path:
    """``given``, else ``prefect.yaml`` in the working folder, else the one beside this package."""
    candidates = [Path(given)] if given else [Path.cwd() / PROJECT_FILE, Path(__file__).parent.parent / PROJECT_FILE]
    for path in candidates:
        if path.is_file():
            return path.resolve()
    raise ProjectNotFound(f"no {PROJECT_FILE} at {', '.join(map(str, candidates))}")


def read_deployments(prefect_file: str | Path) -> list[DeploymentSpec]:
    config = yaml.safe_load(Path(prefect_file).read_text(encoding="utf-8")) or {}
    specs = []
    for entry in config.get("deployments") or []:
        crons = [
            (schedule["cron"], schedule.get("timezone") or "UTC")
            for schedule in entry.get("schedules") or []
            if schedule.get("cron") and schedule.get("active", True)
        ]
        specs.append(
            DeploymentSpec(
                name=entry["name"],
                entrypoint=entry["entrypoint"],
                description=entry.get("description") or "",
                tags=list(entry.get("tags") or []),
                parameters=dict(entry.get("parameters") or {}),
                crons=crons,
                concurrency_limit=entry.get("concurrency_limit"),
            )
        )
    return specs


def runner_deployments(
    specs: list[DeploymentSpec],
    *,
    project_dir: str | Path,
    timezone: str | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> list[Any]:
    """``RunnerDeployment`` objects for ``prefect.serve``, with schedules, tags and parameters as in the file.

    ``parameters`` override the file's values where a flow takes them (e.g. ``db_path``);
    ``timezone`` replaces every schedule's time zone.
    """
    from prefect.flows import load_flow_from_entrypoint
    from prefect.schedules import Cron

    deployments = []
    for spec in specs:
        flow = load_flow_from_entrypoint(str(Path(project_dir) / spec.entrypoint))
        accepted = set(flow.parameters.properties)
        values = {**spec.parameters, **{k: v for k, v in (parameters or {}).items() if k in accepted}}
        deployments.append(
            flow.to_deployment(
                name=spec.name,
                description=spec.description or None,
                tags=spec.tags,
                parameters=values,
                schedules=[Cron(cron, timezone=timezone or zone) for cron, zone in spec.crons] or None,
                concurrency_limit=spec.concurrency_limit,
            )
        )
    return deployments
