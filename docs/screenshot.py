"""Take docs/prefect-run.png and docs/prefect-summary.png: an ingest run in the Prefect UI and its summary.

    .venv/bin/python docs/screenshot.py [--out-dir docs] [--keep]

Starts `prefect server start` on a free loopback port with a temporary PREFECT_HOME (your
own Prefect settings and history are not touched), runs `newsingest run seeds` against it,
then has headless Chromium (Debian: `apt-get install chromium`) load the flow run's page
with its Artifacts tab open (in the newer UI, under /v2), then the run's ``ingest-summary``
artifact as the UI renders it, and save both screenshots. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--window-size=1400,1000", "--virtual-time-budget=20000",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs, database)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("screenshot: no Chromium found; install it (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="newsingest-shot-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(work / "prefect-home"),
        PREFECT_API_URL=f"{base}/api",
        PREFECT_UI_API_URL=f"{base}/api",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    server_log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=server_log, stderr=subprocess.STDOUT, cwd=work,
    )
    try:
        _wait_for(f"{base}/api/health", seconds=180)
        print(f"screenshot: Prefect server on {base}; running an ingest of seeds/ ...")
        subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", "seeds", "--db", str(work / "news.duckdb")],
            cwd=ROOT, env=env, check=True, timeout=600,
        )
        run_id = _latest_flow_run(base)
        summary_id = _artifact_id(base, run_id, "ingest-summary")
        args.out_dir.mkdir(parents=True, exist_ok=True)
        # The newer UI (under /v2) opens a tab named in the URL; the classic one always opens on Logs.
        for name, page in (
            ("prefect-run.png", f"{base}/v2/runs/flow-run/{run_id}?tab=Artifacts"),
            ("prefect-summary.png", f"{base}/v2/artifacts/artifact/{summary_id}"),
        ):
            out = args.out_dir / name
            subprocess.run(
                [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'chromium'}", f"--screenshot={out}", page],
                check=True, timeout=180, capture_output=True,
            )
            print(f"screenshot: {page} -> {out}")
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()
        if args.keep:
            print(f"screenshot: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshot: no Prefect server at {url} after {seconds:.0f}s")
        time.sleep(1)


def _post(url: str, body: dict) -> list[dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _latest_flow_run(base: str) -> str:
    (run,) = _post(f"{base}/api/flow_runs/filter", {"sort": "START_TIME_DESC", "limit": 1})
    return run["id"]


def _artifact_id(base: str, flow_run_id: str, key: str) -> str:
    (artifact,) = _post(
        f"{base}/api/artifacts/filter",
        {"artifacts": {"key": {"any_": [key]}, "flow_run_id": {"any_": [flow_run_id]}}, "limit": 1},
    )
    return artifact["id"]


if __name__ == "__main__":
    raise SystemExit(main())
