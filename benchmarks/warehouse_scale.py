"""The warehouse at 1M and 10M synthetic passages: file size per million passages, how long the
researcher-facing trend views (over the materialised trend tables) take, and how long the
refresh of those tables takes: in full, with nothing new, and after a 10,000-passage load,
both a realistic nightly one (dated in the newest month: one quarter to redo) and the worst
case (spread over every quarter: all of them to redo)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb

from benchmarks.common import OUT, save_section
from benchmarks.synthetic_warehouse import generate, next_start
from benchmarks.workloads import sample_passages
from warehouse.db import open_db
from warehouse.trends.refresh import refresh_trends


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


def _refresh(path: Path, full: bool = False) -> float:
    con = open_db(path)  # migrated, as the flows open it
    try:
        t = time.perf_counter()
        refresh_trends(con, full=full)
        return time.perf_counter() - t
    finally:
        con.close()


def _last_month(path: Path) -> str:
    """The first day of the month of the newest passage: where a nightly load lands."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT date_trunc('month', max(date))::DATE::VARCHAR FROM passages").fetchone()[0]
    finally:
        con.close()


def run(scale: dict) -> None:
    texts = [t.text for t in sample_passages()]
    folder = OUT / "scale"
    folder.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    for n, name in ((scale["warehouse_mid"], "mid"), (scale["warehouse_big"], "big")):
        path = folder / f"w{n}.duckdb"
        if not path.exists():
            t = time.perf_counter()
            generate(path, n, texts)
            results[f"{name}_generate_s"] = round(time.perf_counter() - t, 1)
        results[f"{name}_full_refresh_s"] = round(_refresh(path, full=True), 1)  # materialise the trend tables
        results[f"{name}_noop_refresh_s"] = round(_refresh(path), 3)  # nothing new since
        results[name] = measure(path, scale["view_timeout_s"])
    path = folder / f"w{scale['warehouse_big']}.duckdb"
    # A realistic nightly: 10,000 passages dated in the newest month (one quarter to redo) ...
    generate(path, 10_000, texts, start=next_start(path), first_day=_last_month(path), days=30)
    results["refresh_after_10k_s"] = round(_refresh(path), 2)
    # ... and the worst case: 10,000 passages spread over every quarter (all of them to redo).
    generate(path, 10_000, texts, start=next_start(path))
    results["refresh_after_10k_spread_s"] = round(_refresh(path), 2)
    save_section("warehouse_scale", results)
