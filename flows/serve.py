"""Serve the deployments of prefect.yaml on one machine, against a local Prefect server.

Schedules only fire when a Prefect server (or Cloud) runs them, so `whitehall serve` connects
to `PREFECT_API_URL` when it answers and otherwise starts `prefect server start` on 127.0.0.1.
prefect.yaml stays the one place where deployments and schedules are written down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml
from prefect.flows import load_flow_from_entrypoint
from prefect.schedules import Cron

PROJECT = Path(__file__).resolve().parents[1]


def read_deployments(path: Path = PROJECT / "prefect.yaml") -> list[dict]:
    """The deployments declared in prefect.yaml (YAML anchors resolved)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["deployments"]


def runner_deployments(path: Path = PROJECT / "prefect.yaml"):
    """RunnerDeployments for `serve()`, one per prefect.yaml entry, with its schedules."""
    built = []
    for spec in read_deployments(path):
        flow = load_flow_from_entrypoint(str(PROJECT / spec["entrypoint"]))
        schedules = [Cron(s["cron"], timezone=s.get("timezone", "UTC")) for s in spec.get("schedules", [])]
        built.append(flow.to_deployment(
            name=spec["name"], description=spec.get("description"),
            parameters=spec.get("parameters") or {}, schedules=schedules or None,
        ))
    return built


def api_healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url.rstrip('/')}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def ensure_server(port: int = 4200, wait_s: float = 90) -> subprocess.Popen | None:
    """Use the configured API if it answers; else start a local server and point at it."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured and api_healthy(configured):
        return None
    url = f"http://127.0.0.1:{port}/api"
    if api_healthy(url):
        os.environ["PREFECT_API_URL"] = url
        return None
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
    )
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if api_healthy(url):
            os.environ["PREFECT_API_URL"] = url
            return server
        if server.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {server.returncode}")
        time.sleep(1)
    server.terminate()
    raise RuntimeError(f"prefect server did not answer on {url} within {wait_s:.0f} s")


def serve_all(port: int = 4200) -> None:
    """Block, serving every deployment on its schedule, until interrupted."""
    from prefect import serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = ensure_server(port)
    try:
        with temporary_settings(updates={PREFECT_API_URL: os.environ["PREFECT_API_URL"]}):
            serve(*runner_deployments())
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
