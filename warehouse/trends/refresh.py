"""`refresh_trends(con)`: materialise the trend tables the contract views read.

The flows call it after loading. It recomputes only the quarters whose passages, labels or
gold annotations changed (a fingerprint per quarter), or everything when the current model,
its measured error or the estimator's settings changed. Change points, speaker adoption and
the diffusion curve are recomputed whenever anything changed. One transaction.
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
from warehouse.trends.cells import Cells, GoldRows, gold_cell, quarter_ordinal, quarter_range, read_cells, read_gold, sql
from warehouse.trends.changes import detect, segment_means
from warehouse.trends.error_model import LABELS, ErrorModel
from warehouse.trends.estimate import N_DRAWS, SHORTCUTS, TRAITS, estimate
from warehouse.trends.ppi import MIN_GOLD, ppi_estimate

ESTIMATOR_VERSION = "trends-1"
SEED = 2026
LOW_N = 30
CHANGE_DIMENSIONS = ("all", "source_type", "role", "party")
SERIES_LABELS = LABELS[1:]  # the 7 frames and the explicit flag
TRAIT_AT = [LABELS.index(t) for t in TRAITS]
SHORTCUT_AT = [LABELS.index(t) for t in SHORTCUTS]


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
    current = _fingerprints(con)
    stored = dict(con.execute("SELECT quarter, fingerprint FROM trend_refresh_state").fetchall())
    full = full or stored.get("*") != settings
    stale = sorted(q for q in current if full or stored.get(q) != current[q][1])
    gone = sorted(q for q in stored if q != "*" and q not in current)
    summary = RefreshSummary(model, full, stale, notes=errors.notes)
    if not stale and not gone:
        return summary
    con.execute("BEGIN TRANSACTION")
    try:
        if full:
            con.execute("DELETE FROM trend_estimates")
        else:
            con.execute("DELETE FROM trend_estimates WHERE quarter IN (SELECT unnest(?))", [stale + gone])
        with_data = [q for q in stale if current[q][0] > 0]
        if with_data:
            summary.cells, summary.ppi_cells = _estimate_quarters(con, with_data, errors, codebook, model, draws, seed)
        _write_state(con, current, settings, full, stale, gone)
        summary.changes = _write_changes(con, model, seed)
        summary.adopters = _write_adoption(con, model)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


def _fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """{quarter: (passages, fingerprint)} for every quarter from the first passage to the last."""
    rows = {q: (int(n), fp) for q, n, fp in con.execute(sql("trend_fingerprints")).fetchall()}
    if not rows:
        return {}
    return {q: rows.get(q, (0, "empty")) for q in quarter_range(min(rows, key=quarter_ordinal),
                                                                max(rows, key=quarter_ordinal))}


def _write_state(con, current: dict, settings: str, full: bool, stale: list[str], gone: list[str]) -> None:
    if full:
        con.execute("DELETE FROM trend_refresh_state")
    else:
        con.execute("DELETE FROM trend_refresh_state WHERE quarter IN (SELECT unnest(?))", [stale + gone + ["*"]])
    rows = [("*", settings, sum(n for n, _ in current.values()))] + [(q, current[q][1], current[q][0]) for q in stale]
    con.executemany("INSERT INTO trend_refresh_state VALUES (?, ?, ?, now())", rows)


def _estimate_quarters(con, quarters: list[str], errors: ErrorModel, codebook: str, model: str,
                       draws: int, seed: int) -> tuple[int, int]:
    """Estimate every cell of `quarters` and insert the rows; return (cells, PPI cells)."""
    cells = read_cells(con, quarters)
    gold = read_gold(con, quarters, codebook)
    rates = errors.draw(np.random.default_rng([seed, 0]), draws)
    by_quarter: dict[str, list[int]] = {}
    for i, key in enumerate(cells.keys):
        by_quarter.setdefault(key[2], []).append(i)
    rows: dict[str, list] = {c: [] for c in _ROW_COLUMNS}
    n_ppi = 0
    for quarter in sorted(by_quarter, key=quarter_ordinal):
        index = np.array(by_quarter[quarter])
        part = cells.select(index)
        rng = np.random.default_rng([seed, quarter_ordinal(quarter)])
        est = estimate(part.counts, errors, rng, rates=rates)
        result = {"share": est.share, "low": est.low, "high": est.high, "adoption": est.adoption,
                  "adoption_low": est.adoption_low, "adoption_high": est.adoption_high}
        methods = np.where(errors.corrected[None, :, :] & (part.counts.n[:, :, None] > 0), 1, 0).max(1)
        n_gold = np.zeros(len(part.keys), int)
        if len(gold.y):
            n_ppi += _apply_ppi(part, gold, result, n_gold, rng, draws)
        _append_rows(rows, part, result, methods, n_gold, model)
    con.register("_trend_rows", pa.table(rows))
    try:
        con.execute(f"INSERT INTO trend_estimates ({', '.join(_ROW_COLUMNS)}) SELECT * FROM _trend_rows")
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


_ROW_COLUMNS = ("period_kind", "period", "quarter", "dimension", "grp", "label", "n_passages", "n_relevant",
                "n_label", "share_raw", "share_pcc", "share", "ci_low", "ci_high", "low_n", "method",
                "n_gold", "model_version")


def _ratio(a: float, b: float) -> float | None:
    return float(a / b) if b > 0 else None


def _value(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def _append_rows(rows: dict[str, list], part: Cells, result: dict, corrected: np.ndarray,
                 n_gold: np.ndarray, model: str) -> None:
    n_all, k_all = part.counts.n.sum(1), part.counts.k.sum(1)
    for c, key in enumerate(part.keys):
        n, k, soft = n_all[c], k_all[c], part.soft[c]
        ppi = n_gold[c] >= MIN_GOLD
        for j, label in enumerate((*LABELS, "adoption_index")):
            if label == "adoption_index":
                n_label, raw = None, _ratio(k[TRAIT_AT].sum(), k[TRAIT_AT].sum() + k[SHORTCUT_AT].sum())
                pcc = _ratio(soft[TRAIT_AT].sum(), soft[TRAIT_AT].sum() + soft[SHORTCUT_AT].sum())
                point, lo, hi = result["adoption"][c], result["adoption_low"][c], result["adoption_high"][c]
                is_corrected = corrected[c, TRAIT_AT + SHORTCUT_AT].any()
            else:
                n_label = int(k[j])
                raw = _ratio(k[0], n) if j == 0 else _ratio(k[j], k[0])
                pcc = _ratio(soft[0], n) if j == 0 else _ratio(soft[j], soft[0])
                point, lo, hi = result["share"][c, j], result["low"][c, j], result["high"][c, j]
                is_corrected = corrected[c, j] or (j > 0 and corrected[c, 0])
            method = "ppi" if ppi else "rogan-gladen" if is_corrected else "uncorrected"
            values = (*key, label, int(n), int(k[0]), n_label, raw, pcc, _value(point), _value(lo), _value(hi),
                      bool((n if j == 0 else k[0]) < LOW_N), method, int(n_gold[c]), model)
            for column, value in zip(_ROW_COLUMNS, values):
                rows[column].append(value)


def _write_changes(con: duckdb.DuckDBPyConnection, model: str, seed: int) -> int:
    """Detect change points in every quarterly frame series of the change dimensions."""
    con.execute("DELETE FROM trend_change_points")
    data = con.execute(
        "SELECT dimension, grp, label, quarter, n_label, n_relevant, share FROM trend_estimates "
        "WHERE period_kind = 'quarter' AND n_relevant > 0 AND dimension IN (SELECT unnest(?)) "
        "AND label IN (SELECT unnest(?))", [list(CHANGE_DIMENSIONS), list(SERIES_LABELS)]
    ).fetchall()
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
    return len(out)


def _write_adoption(con: duckdb.DuckDBPyConnection, model: str) -> int:
    """Speaker adoption and the diffusion curve, from the current decisions."""
    con.execute("DELETE FROM speaker_adoption_stats")
    con.execute(f"INSERT INTO speaker_adoption_stats {sql('speaker_adoption')}", {"model_version": model})
    con.execute("DELETE FROM trend_diffusion")
    con.execute(f"INSERT INTO trend_diffusion {sql('trend_diffusion')}", {"model_version": model})
    return con.execute("SELECT count(*) FROM speaker_adoption_stats").fetchone()[0]
