"""The warehouse at 1M and 10M synthetic passages: file size per million passages, and how
long the researcher-facing trend views take (whatever they are on this branch: views, or views
over materialised trend tables), and a materialised refresh after a 10,000-passage load if the
warehouse has one."""

from __future__ import annotations

import importlib
import threading
import time
from pathlib import Path

import duckdb

from benchmarks.common import OUT, save_section
from benchmarks.synthetic_warehouse import generate
from benchmarks.workloads import sample_passages

REFRESH_HOOKS = ("warehouse.trends.refresh:refresh_trends", "warehouse.trends:refresh_trends")


def trend_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'trend_frame_quarterly%' "
        "ORDER BY table_name").fetchall()]
    return names


def time_query(con: duckdb.DuckDBPyConnection, sql: str, timeout_s: float) -> tuple[float | None, int]:
    """(seconds, rows), or (None, 0) when it ran past the timeout and was interrupted."""
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.start()
    t = time.perf_counter()
    try:
        rows = len(con.execute(sql).fetchall())
        return time.perf_counter() - t, rows
    except (duckdb.InterruptException, RuntimeError):
        return None, 0
    finally:
        timer.cancel()


def find_refresh():
    for hook in REFRESH_HOOKS:
        module, _, name = hook.partition(":")
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
    return None


def measure(path: Path, timeout_s: float) -> dict:
    con = duckdb.connect(str(path), read_only=True, config={"threads": 2})
    con.execute("SET enable_progress_bar = false")
    n = con.execute("SELECT count(*) FROM passages").fetchone()[0]
    out = {"passages": n, "file_mib": round(path.stat().st_size / 2 ** 20, 1),
           "mib_per_million_passages": round(path.stat().st_size / 2 ** 20 / (n / 1e6), 1), "views": {}}
    for view in trend_views(con):
        seconds, rows = time_query(con, f"SELECT * FROM {view}", timeout_s)
        out["views"][view] = {"seconds": None if seconds is None else round(seconds, 2), "rows": rows,
                              "timed_out_after_s": timeout_s if seconds is None else None,
                              "within_1s": seconds is not None and seconds <= 1.0}
    con.close()
    return out


def _refresh(path: Path, refresh) -> float:
    con = duckdb.connect(str(path))
    try:
        t = time.perf_counter()
        refresh(con)
        return time.perf_counter() - t
    finally:
        con.close()


def run(scale: dict) -> None:
    texts = [t.text for t in sample_passages()]
    folder = OUT / "scale"
    folder.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    refresh = find_refresh()
    for n, name in ((scale["warehouse_mid"], "mid"), (scale["warehouse_big"], "big")):
        path = folder / f"w{n}.duckdb"
        if not path.exists():
            t = time.perf_counter()
            generate(path, n, texts)
            results[f"{name}_generate_s"] = round(time.perf_counter() - t, 1)
        if refresh is not None:  # materialised trend tables: bring them up to date before reading
            try:
                results[f"{name}_full_refresh_s"] = round(_refresh(path, refresh), 1)
            except Exception as exc:
                results[f"{name}_full_refresh_s"] = f"failed: {type(exc).__name__}: {exc}"
        results[name] = measure(path, scale["view_timeout_s"])
    if refresh is None:
        results["refresh"] = "no materialised trend tables on this branch: nothing to refresh"
    else:
        path = folder / f"w{scale['warehouse_big']}.duckdb"
        try:
            generate(path, 10_000, texts, start=scale["warehouse_big"] + 10_000)
            results["refresh_after_10k_s"] = round(_refresh(path, refresh), 2)
        except Exception as exc:  # a refresh that cannot run on synthetic labels says so
            results["refresh"] = f"refresh failed: {type(exc).__name__}: {exc}"
    save_section("warehouse_scale", results)
