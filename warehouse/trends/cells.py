"""Reading the refresh's input from the warehouse: cells of decision counts, gold samples."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import duckdb
import numpy as np

from warehouse.trends.error_model import LABELS, STRATA
from warehouse.trends.estimate import CellCounts
from warehouse.trends.ppi import GoldCell

KEY_COLUMNS = ("period_kind", "period", "quarter", "dimension", "grp")
DIMENSIONS = ("source_type", "role", "party", "department")


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """A query of warehouse/sql/."""
    return resources.files("warehouse").joinpath(f"sql/{name}.sql").read_text("utf-8")


@dataclass
class Cells:
    """Every cell of some quarters: keys, decision counts by stratum, probability sums."""

    keys: list[tuple]          # (period_kind, period, quarter, dimension, grp)
    counts: CellCounts
    soft: np.ndarray           # (C, L) sum of the probabilistic counts h
    soft_sq: np.ndarray        # (C, L) sum of h squared

    def select(self, index: np.ndarray) -> "Cells":
        return Cells([self.keys[i] for i in index], CellCounts(self.counts.n[index], self.counts.k[index]),
                     self.soft[index], self.soft_sq[index])


def stage(con: duckdb.DuckDBPyConnection, quarters: list[str]) -> dict[str, int]:
    """Stage the refresh's input rows of `quarters` (temp table trend_staged, from the
    refresh's copy trend_passages, read by a date range that its row groups' min/max dates can
    skip) and return {quarter: staged passages}."""
    lo, hi = quarter_bounds(min(quarters, key=quarter_ordinal)), quarter_bounds(max(quarters, key=quarter_ordinal))
    con.execute("CREATE OR REPLACE TEMP TABLE trend_staged AS SELECT * FROM trend_passages "
                "WHERE date >= ? AND date < ? AND quarter IN (SELECT unnest(?))", [lo[0], hi[1], list(quarters)])
    return dict(con.execute("SELECT quarter, count(*) FROM trend_staged GROUP BY quarter").fetchall())


def unstage(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP TABLE IF EXISTS temp.trend_staged")


def read_cells(con: duckdb.DuckDBPyConnection) -> Cells:
    """The cells of the staged quarters (every period kind and dimension), in a stable order."""
    rel = con.execute(sql("trend_cells"))
    columns = [d[0] for d in rel.description]
    rows = rel.fetchall()
    at = {c: i for i, c in enumerate(columns)}
    index: dict[tuple, int] = {}
    for row in rows:
        index.setdefault(tuple(row[at[c]] for c in KEY_COLUMNS), len(index))
    C, S, L = len(index), len(STRATA), len(LABELS)
    n, k = np.zeros((C, S)), np.zeros((C, S, L))
    soft, soft_sq = np.zeros((C, L)), np.zeros((C, L))
    k_at = [at[f"k_{label}"] for label in LABELS]
    s_at = [at[f"s_{label}"] for label in LABELS]
    ss_at = [at[f"ss_{label}"] for label in LABELS]
    for row in rows:
        c = index[tuple(row[at[col]] for col in KEY_COLUMNS)]
        s = STRATA.index(row[at["stratum"]])
        n[c, s] += row[at["n"]]
        k[c, s] += [row[i] for i in k_at]
        soft[c] += [row[i] or 0.0 for i in s_at]
        soft_sq[c] += [row[i] or 0.0 for i in ss_at]
    return Cells(list(index), CellCounts(n, k), soft, soft_sq)


@dataclass
class GoldRows:
    """Gold passages of some quarters with their cell keys, gold labels and predictions."""

    keys: list[dict]
    y: np.ndarray
    h: np.ndarray
    p_inclusion: np.ndarray
    _by_quarter: dict[str, list[int]] | None = field(default=None, init=False, repr=False)

    def in_cell(self, key: tuple) -> np.ndarray:
        """Indices of the gold passages that fall in a cell."""
        period_kind, period, quarter, dimension, grp = key
        if self._by_quarter is None:
            self._by_quarter = {}
            for i, g in enumerate(self.keys):
                self._by_quarter.setdefault(g["quarter"], []).append(i)
        period_column = "month" if period_kind == "month" else "quarter"
        return np.array([i for i in self._by_quarter.get(quarter, [])
                         if self.keys[i][period_column] == period
                         and (dimension == "all" or self.keys[i][dimension] == grp)], dtype=int)


def read_gold(con: duckdb.DuckDBPyConnection, codebook_version: str) -> GoldRows:
    """Gold-stream annotations on current passages of the staged quarters."""
    rel = con.execute(sql("trend_gold"), {"codebook": codebook_version})
    columns = [d[0] for d in rel.description]
    rows = rel.fetchall()
    at = {c: i for i, c in enumerate(columns)}
    keys = [{c: row[at[c]] for c in ("quarter", "month", *DIMENSIONS)} for row in rows]
    y = np.array([[row[at[f"y_{label}"]] for label in LABELS] for row in rows], float).reshape(-1, len(LABELS))
    h = np.array([[row[at[f"h_{label}"]] or 0.0 for label in LABELS] for row in rows], float).reshape(-1, len(LABELS))
    p = np.array([row[at["p_inclusion"]] for row in rows], float)
    return GoldRows(keys, y, h, p)


def gold_cell(cells: Cells, c: int, gold: GoldRows, members: np.ndarray) -> GoldCell:
    """The PPI input of cell `c` from its gold passages."""
    n = float(cells.counts.n[c].sum())
    mean = cells.soft[c] / n
    var = cells.soft_sq[c] / n - mean ** 2
    return GoldCell(int(n), mean, var, gold.y[members], gold.h[members], gold.p_inclusion[members])


def quarter_ordinal(quarter: str) -> int:
    """'2024-Q3' -> 2024 * 4 + 2 (a stable seed and sort key)."""
    year, q = quarter.split("-Q")
    return int(year) * 4 + int(q) - 1


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """'2024-Q3' -> (date(2024, 7, 1), date(2024, 10, 1)): its first day and the next quarter's."""
    o = quarter_ordinal(quarter)
    return date(o // 4, o % 4 * 3 + 1, 1), date((o + 1) // 4, (o + 1) % 4 * 3 + 1, 1)


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter label from `first` to `last` inclusive."""
    return [f"{o // 4}-Q{o % 4 + 1}" for o in range(quarter_ordinal(first), quarter_ordinal(last) + 1)]
