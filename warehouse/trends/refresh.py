"""`refresh_trends(con)`: materialise the trend tables the contract views read.

The flows call it after loading. Its cost follows what changed (warehouse/METHODS.md §6):
writers mark the passages they insert, delete or relabel (with the decisions they wrote) and
the quarters whose gold changed, in the transaction of the change (warehouse/trends/dirty.py).
The refresh updates its own copy of the staged passages (trend_passages) for the marked
passages only, then estimates again the quarters those passages left or joined, reading them
from that copy by date range. Change points are recomputed for the series whose values in
those quarters moved; speaker adoption and the diffusion curve are summed from
per-speaker-quarter rows, of which only those quarters' are recomputed. With nothing marked it
returns at once. A new current model, its measured error or the estimator's settings changed,
or `full=True`: everything is rebuilt from the labels. One transaction.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa

from warehouse.model_registry import current_model, model_card
from warehouse.trends.cells import (
    Cells,
    GoldRows,
    gold_cell,
    quarter_bounds,
    quarter_ordinal,
    quarter_range,
    read_cells,
    read_gold,
    sql,
    stage,
    unstage,
)
from warehouse.trends.changes import detect, segment_means
from warehouse.trends.dirty import QUARTER_OF_DATE, dirty_quarters
from warehouse.trends.error_model import LABELS, ErrorModel
from warehouse.trends.estimate import N_DRAWS, estimate
from warehouse.trends.ppi import MIN_GOLD, ppi_estimate
from warehouse.trends.rows import ROW_COLUMNS, Status, append_rows

ESTIMATOR_VERSION = "trends-4"  # 2: labels not separable in a stratum left out; 3-4: median point estimates
SEED = 2026
CHANGE_DIMENSIONS = ("all", "source_type", "role", "party")
SERIES_LABELS = LABELS[1:]  # the 7 frames and the explicit flag
CHUNK_PASSAGES = 2_000_000  # passages staged at a time in a full refresh or a large one


@dataclass
class RefreshSummary:
    model_version: str | None
    full: bool = False
    quarters: list[str] = field(default_factory=list)
    cells: int = 0
    ppi_cells: int = 0
    changes: int = 0
    adopters: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()
    passages: int = 0          # marked passages brought up to date (every one when full)


def refresh_trends(con: duckdb.DuckDBPyConnection, *, full: bool = False, draws: int = N_DRAWS,
                   seed: int = SEED) -> RefreshSummary:
    """Bring the trend tables up to date with the warehouse; return what was recomputed."""
    started = time.monotonic()
    model = current_model(con)
    if model is None:
        return RefreshSummary(None)
    errors = ErrorModel.from_card(model_card(con, model))
    codebook = con.execute("SELECT codebook_version FROM models WHERE model_version = ?", [model]).fetchone()[0]
    settings = hashlib.sha256(f"{ESTIMATOR_VERSION}|{model}|{draws}|{seed}|{errors.fingerprint()}".encode()).hexdigest()
    con.execute("BEGIN TRANSACTION")
    try:
        stored = dict(con.execute("SELECT quarter, n_passages FROM trend_refresh_state").fetchall())
        full = full or _stored_settings(con) != settings
        summary = RefreshSummary(model, full, notes=errors.notes)
        if full:
            stale, summary.passages = _rebuild_passages(con, model)
        else:
            marked = con.execute("SELECT count(*) FROM trend_dirty_passages").fetchone()[0]
            moved, summary.passages = _update_passages(con, model) if marked else (set(), 0)
            stale = sorted(moved | set(dirty_quarters(con)), key=quarter_ordinal)
            if not stale:  # nothing marked (or marks that changed no quarter): nothing to do
                if marked:
                    con.execute("DELETE FROM trend_dirty_passages")
                con.execute("COMMIT")
                return summary
        before = None if full else _series_rows(con, stale)
        for table in ("trend_estimates", "trend_speaker_quarters", "trend_speaker_activity"):
            if full:
                con.execute(f"DELETE FROM {table}")
            else:
                con.execute(f"DELETE FROM {table} WHERE quarter IN (SELECT unnest(?))", [stale])
        counts: dict[str, int] = {}
        rates = errors.draw(np.random.default_rng([seed, 0]), draws)
        for chunk in _chunks(con, stale):
            counts.update(stage(con, chunk))
            try:
                cells, ppi = _estimate_quarters(con, errors, rates, codebook, model, draws, seed)
                summary.cells += cells
                summary.ppi_cells += ppi
                con.execute(f"INSERT INTO trend_speaker_quarters {sql('trend_speaker_quarters')}")
                con.execute(f"INSERT INTO trend_speaker_activity {sql('trend_speaker_activity')}")
            finally:
                unstage(con)
        summary.quarters = _write_state(con, stored, counts, settings, full, stale)
        con.execute("DELETE FROM trend_dirty_passages")  # the marks this transaction saw
        con.execute("DELETE FROM trend_dirty_quarters")
        summary.changes = _write_changes(con, model, seed, None if full else _moved(before, _series_rows(con, stale)))
        summary.adopters = _write_adoption(con, model)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


def _stored_settings(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("SELECT fingerprint FROM trend_refresh_state WHERE quarter = '*'").fetchall()
    return rows[0][0] if rows else None


def _rebuild_passages(con: duckdb.DuckDBPyConnection, model: str) -> tuple[list[str], int]:
    """Rebuild trend_passages from every passage and its labels by the current model, a group
    of quarters at a time, in date order; return (the quarters holding a passage, rows)."""
    con.execute("DELETE FROM trend_passages")
    sizes = dict(con.execute(f"SELECT {QUARTER_OF_DATE} AS q, count(*) FROM passages GROUP BY q").fetchall())
    quarters = sorted(sizes, key=quarter_ordinal)
    for chunk in _group(quarters, sizes):
        lo, hi = quarter_bounds(chunk[0])[0], quarter_bounds(chunk[-1])[1]
        con.execute("CREATE OR REPLACE TEMP TABLE trend_wanted AS SELECT passage_id, content_hash, date, source_type, "
                    "role, party, department, speaker_id, speaker FROM passages WHERE date >= ? AND date < ?", [lo, hi])
        try:
            con.execute(f"INSERT INTO trend_passages {sql('trend_passage_rows')}", {"model": model})
        finally:
            con.execute("DROP TABLE temp.trend_wanted")
    return quarters, con.execute("SELECT count(*) FROM trend_passages").fetchone()[0]


def _update_passages(con: duckdb.DuckDBPyConnection, model: str) -> tuple[set[str], int]:
    """Bring the rows of the marked passages in trend_passages up to date; return (the
    quarters they left or joined, passages marked). Decisions come from the label writes'
    log, else the row already held for the same text; only a text with neither (a writer that
    logged no decisions, a text come back) has its labels read."""
    con.execute("CREATE OR REPLACE TEMP TABLE trend_marked AS SELECT DISTINCT passage_id FROM trend_dirty_passages")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE trend_held AS SELECT rowid AS held_row, * FROM trend_passages "
                    "WHERE passage_id IN (SELECT passage_id FROM trend_marked)")
        con.execute(f"CREATE OR REPLACE TEMP TABLE trend_updates AS {sql('trend_passage_updates')}", {"model": model})
        left = {q for (q,) in con.execute("SELECT DISTINCT quarter FROM trend_held").fetchall()}
        con.execute("DELETE FROM trend_passages WHERE rowid IN (SELECT held_row FROM trend_held)")
        con.execute("INSERT INTO trend_passages SELECT * EXCLUDE (known) FROM trend_updates WHERE known "
                    "ORDER BY date, passage_id")
        if con.execute("SELECT count(*) FROM trend_updates WHERE NOT known").fetchone()[0]:
            con.execute("CREATE OR REPLACE TEMP TABLE trend_wanted AS SELECT * FROM trend_updates WHERE NOT known")
            try:
                con.execute(f"INSERT INTO trend_passages {sql('trend_passage_rows')}", {"model": model})
            finally:
                con.execute("DROP TABLE temp.trend_wanted")
        joined = {q for (q,) in con.execute("SELECT DISTINCT quarter FROM trend_updates").fetchall()}
        n = con.execute("SELECT count(*) FROM trend_marked").fetchone()[0]
    finally:
        for table in ("trend_updates", "trend_held", "trend_marked"):
            con.execute(f"DROP TABLE IF EXISTS temp.{table}")
    return left | joined, n


def _group(quarters: list[str], sizes: dict[str, int]) -> list[list[str]]:
    """Consecutive groups of `quarters` of about CHUNK_PASSAGES passages (at least one quarter
    each), so that a large refresh stages a bounded number of rows at a time."""
    groups: list[list[str]] = []
    total = 0
    for quarter in quarters:
        n = sizes.get(quarter, 0)
        if not groups or (groups[-1] and total + n > CHUNK_PASSAGES):
            groups.append([])
            total = 0
        groups[-1].append(quarter)
        total += n
    return groups


def _chunks(con: duckdb.DuckDBPyConnection, quarters: list[str]) -> list[list[str]]:
    """The stale quarters in groups (_group), sized from trend_passages."""
    if not quarters:
        return []
    lo, hi = quarter_bounds(quarters[0])[0], quarter_bounds(quarters[-1])[1]
    sizes = dict(con.execute("SELECT quarter, count(*) FROM trend_passages WHERE date >= ? AND date < ? "
                             "GROUP BY quarter", [lo, hi]).fetchall())
    return _group(quarters, sizes)


def _write_state(con, stored: dict[str, int], counts: dict[str, int], settings: str, full: bool,
                 stale: list[str]) -> list[str]:
    """One row per quarter from the first quarter with passages to the last (empty ones
    included: the views read the quarters from here), and '*' for the settings. Returns the
    quarters recomputed: the stale ones and those the range gained (all of it when full)."""
    base = {} if full else {q: v for q, v in stored.items() if q != "*"}
    n = dict(base)
    for quarter in stale:
        n[quarter] = counts.get(quarter, 0)
    held = [q for q, v in n.items() if v > 0]
    span = quarter_range(min(held, key=quarter_ordinal), max(held, key=quarter_ordinal)) if held else []
    fresh = set(stale) | (set(span) - set(base))
    gone = [q for q in stored if q != "*" and q not in span]
    if full:
        con.execute("DELETE FROM trend_refresh_state")
    else:
        con.execute("DELETE FROM trend_refresh_state WHERE quarter IN (SELECT unnest(?))",
                    [sorted(fresh | set(gone) | {"*"})])
    rows = [("*", settings, sum(n.get(q, 0) for q in span))]
    rows += [(q, settings, n.get(q, 0)) for q in span if q in fresh]
    con.executemany("INSERT INTO trend_refresh_state VALUES (?, ?, ?, now())", rows)
    if gone:  # quarters the range lost hold no passages: nothing of theirs stays
        con.execute("DELETE FROM trend_estimates WHERE quarter IN (SELECT unnest(?))", [gone])
    return sorted(set(span) if full else fresh, key=quarter_ordinal)


def _estimate_quarters(con, errors: ErrorModel, rates, codebook: str, model: str,
                       draws: int, seed: int) -> tuple[int, int]:
    """Estimate every cell of the staged quarters and insert the rows; return (cells, PPI cells).
    The error-rate draws are shared and each quarter has its own generator, so a quarter's rows
    do not depend on which other quarters are refreshed with it."""
    cells = read_cells(con)
    if not cells.keys:
        return 0, 0
    gold = read_gold(con, codebook)
    by_quarter: dict[str, list[int]] = {}
    for i, key in enumerate(cells.keys):
        by_quarter.setdefault(key[2], []).append(i)
    rows: dict[str, list] = {c: [] for c in ROW_COLUMNS}
    n_ppi = 0
    for quarter in sorted(by_quarter, key=quarter_ordinal):
        index = np.array(by_quarter[quarter])
        part = cells.select(index)
        rng = np.random.default_rng([seed, quarter_ordinal(quarter)])
        est = estimate(part.counts, errors, rng, rates=rates)
        result = {"share": est.share, "low": est.low, "high": est.high, "adoption": est.adoption,
                  "adoption_low": est.adoption_low, "adoption_high": est.adoption_high}
        status = Status.of(errors, part.counts.n)
        n_gold = np.zeros(len(part.keys), int)
        if len(gold.y):
            n_ppi += _apply_ppi(part, gold, result, n_gold, rng, draws)
        append_rows(rows, part, result, status, n_gold, model)
    con.register("_trend_rows", pa.table(rows))
    try:
        con.execute(f"INSERT INTO trend_estimates ({', '.join(ROW_COLUMNS)}) SELECT * FROM _trend_rows")
    finally:
        con.unregister("_trend_rows")
    return len(cells.keys), n_ppi


def _apply_ppi(part: Cells, gold: GoldRows, result: dict, n_gold: np.ndarray,
               rng: np.random.Generator, draws: int) -> int:
    """Replace the estimates of cells with enough gold by PPI ones; mark them in n_gold."""
    used = 0
    for c, key in enumerate(part.keys):
        members = gold.in_cell(key)
        n_gold[c] = len(members)
        if len(members) < MIN_GOLD:
            continue
        ppi = ppi_estimate(gold_cell(part, c, gold, members), rng, draws)
        result["share"][c], result["low"][c], result["high"][c] = ppi["share"], ppi["low"], ppi["high"]
        for name in ("adoption", "adoption_low", "adoption_high"):
            result[name][c] = ppi[name]
        used += 1
    return used


def _series_rows(con: duckdb.DuckDBPyConnection, quarters: list[str]) -> set[tuple]:
    """The change-point input rows of `quarters` (see _write_changes)."""
    return set(con.execute(
        "SELECT dimension, grp, label, quarter, n_label, n_relevant, share FROM trend_estimates "
        "WHERE period_kind = 'quarter' AND n_relevant > 0 AND dimension IN (SELECT unnest(?)) "
        "AND label IN (SELECT unnest(?)) AND quarter IN (SELECT unnest(?))",
        [list(CHANGE_DIMENSIONS), list(SERIES_LABELS), quarters]).fetchall())


def _moved(before: set[tuple], after: set[tuple]) -> set[tuple]:
    """The series (dimension, grp, label) with a row that differs between the two."""
    return {row[:3] for row in before ^ after}


def _write_changes(con: duckdb.DuckDBPyConnection, model: str, seed: int, only: set[tuple] | None = None) -> int:
    """Detect change points in the quarterly frame series of the change dimensions: every
    series, or those in `only` (a series' result depends on its own values alone: its generator
    is seeded by its name). Returns the change points now stored."""
    if only is None:
        con.execute("DELETE FROM trend_change_points")
    elif only:
        con.execute("CREATE OR REPLACE TEMP TABLE trend_series_moved (dimension VARCHAR, grp VARCHAR, label VARCHAR)")
        con.executemany("INSERT INTO trend_series_moved VALUES (?, ?, ?)", sorted(only, key=str))
        con.execute("DELETE FROM trend_change_points AS c WHERE EXISTS (SELECT 1 FROM trend_series_moved AS m "
                    "WHERE m.dimension = c.dimension AND m.grp IS NOT DISTINCT FROM c.grp AND m.label = c.frame)")
    if only is None or only:
        data = con.execute(
            "SELECT dimension, grp, label, quarter, n_label, n_relevant, share FROM trend_estimates "
            "WHERE period_kind = 'quarter' AND n_relevant > 0 AND dimension IN (SELECT unnest(?)) "
            "AND label IN (SELECT unnest(?))"
            + ("" if only is None else " AND (dimension, coalesce(grp, chr(0)), label) IN "
               "(SELECT dimension, coalesce(grp, chr(0)), label FROM trend_series_moved)"),
            [list(CHANGE_DIMENSIONS), list(SERIES_LABELS)]
        ).fetchall()
        if only is not None:
            con.execute("DROP TABLE temp.trend_series_moved")
        _insert_changes(con, data, model, seed)
    return con.execute("SELECT count(*) FROM trend_change_points").fetchone()[0]


def _insert_changes(con: duckdb.DuckDBPyConnection, data: list[tuple], model: str, seed: int) -> None:
    series: dict[tuple, list] = {}
    for dimension, grp, label, quarter, k, n, share in data:
        series.setdefault((dimension, grp, label), []).append((quarter_ordinal(quarter), quarter, k, n, share))
    out = []
    for (dimension, grp, label), points in sorted(series.items(), key=lambda item: str(item[0])):
        points.sort()
        quarters = [p[1] for p in points]
        k = np.array([p[2] for p in points], float)
        n = np.array([p[3] for p in points], float)
        share = np.array([np.nan if p[4] is None else p[4] for p in points], float)
        rng = np.random.default_rng([seed, zlib.crc32(f"{dimension}|{grp}|{label}".encode())])
        found = detect(k, n, rng)
        means = segment_means(share, n, [c.index for c in found])
        for i, change in enumerate(found):
            before, after = means[i], means[i + 1]
            if np.isnan(before) or np.isnan(after):
                continue
            out.append((dimension, grp, label, quarters[change.index], "up" if after > before else "down",
                        abs(after - before), before, after, change.score, change.p_value, model))
    if out:
        con.executemany("INSERT INTO trend_change_points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", out)


def _write_adoption(con: duckdb.DuckDBPyConnection, model: str) -> int:
    """Speaker adoption and the diffusion curve, summed from the per-speaker-quarter rows."""
    con.execute("DELETE FROM speaker_adoption_stats")
    con.execute(f"INSERT INTO speaker_adoption_stats {sql('speaker_adoption')}", {"model_version": model})
    con.execute("DELETE FROM trend_diffusion")
    con.execute(f"INSERT INTO trend_diffusion {sql('trend_diffusion')}", {"model_version": model})
    return con.execute("SELECT count(*) FROM speaker_adoption_stats").fetchone()[0]
