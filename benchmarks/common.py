"""Shared benchmark helpers: the machine, timing, ratios measured ABBA, and the results file."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Callable

OUT = Path(__file__).resolve().parent / "out"
RESULTS_JSON = OUT / "results.json"


def machine() -> dict:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30, 1)
    import duckdb
    import torch

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem_gib, "python": platform.python_version(),
            "torch": torch.__version__, "torch_threads": torch.get_num_threads(), "duckdb": duckdb.__version__,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()], "kernel": platform.release()}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def abba(reference: Callable[[int], object], subject: Callable[[int], object]) -> dict:
    """Time reference and subject on two halves in the order A B B A, so that a load that drifts
    during the run weighs on both alike. Each callable gets the half index (0 or 1)."""
    t_ref = t_sub = 0.0
    for half, order in ((0, "rs"), (1, "sr")):
        for who in order:
            dt, _ = timed(lambda: (reference if who == "r" else subject)(half))
            if who == "r":
                t_ref += dt
            else:
                t_sub += dt
    return {"reference_s": round(t_ref, 2), "subject_s": round(t_sub, 2), "ratio": round(t_ref / t_sub, 3)}


def load_results() -> dict:
    if RESULTS_JSON.exists():
        return json.loads(RESULTS_JSON.read_text("utf-8"))
    return {}


def save_section(name: str, values: dict) -> None:
    results = load_results()
    results[name] = {**values, "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                     "load_average": [round(x, 2) for x in os.getloadavg()]}
    OUT.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(results, indent=1, default=str), "utf-8")


def whitehall(args: list[str], env: dict, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess (its own interpreter, as a user would)."""
    import sys

    return subprocess.run([sys.executable, "-m", "whitehall.cli", *args], env={**os.environ, **env},
                          input=stdin, capture_output=True, text=True, check=True)
