"""What the report reads from the warehouse: the contract views and a few counts, via queries/*.sql.

A view that this warehouse does not hold yet (trend_changes, speaker_adoption, the by-role and
by-party trends) reads as None, and the report says so instead of failing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

import duckdb

from warehouse.report.quarters import Quarter, latest_complete

EXAMPLES_PER_FRAME = 3

# Each optional query and the relation it needs.
OPTIONAL = {
    "trend_by_role": "trend_frame_quarterly_by_role",
    "trend_by_party": "trend_frame_quarterly_by_party",
    "changes": "trend_changes",
    "adoption": "speaker_adoption",
    "diffusion": "speaker_adoption",
    "adoption_index": "trend_adoption_quarterly",
}


class NoDataError(RuntimeError):
    """The warehouse holds no passages (or not the requested quarter): nothing to report."""


@lru_cache(maxsize=None)
def read_sql(name: str) -> str:
    """The text of queries/<name>.sql."""
    return resources.files("warehouse.report").joinpath("queries", f"{name}.sql").read_text("utf-8")


def query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[dict]:
    """Run queries/<name>.sql and return its rows as dicts."""
    cursor = con.execute(read_sql(name), params or {})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


@dataclass
class ReportData:
    """Everything the report shows, read once from one connection."""

    quarter: Quarter
    oldest: date
    newest: date
    n_passages: int
    relations: set[str]
    by_source_type: list[dict]
    by_role: list[dict] | None
    by_party: list[dict] | None
    changes: list[dict] | None
    adoption: list[dict] | None
    diffusion: list[dict] | None
    correlation: dict[tuple[str, str], float]
    model: dict | None
    source_counts: list[dict]
    gaps: list[dict]
    quarantine: list[dict]
    last_run: dict | None
    index_view: list[dict] | None = None  # trend_adoption_quarterly, when this warehouse has it
    index_view_error: str | None = None

    def missing(self, query_name: str) -> str | None:
        """The relation a query needs when this warehouse lacks it, else None."""
        needed = OPTIONAL.get(query_name)
        return needed if needed and needed not in self.relations else None

    @property
    def pooled(self) -> list[dict]:
        return [r for r in self.by_source_type if r["grp"] == "all"]

    @property
    def complete_through(self) -> Quarter:
        return latest_complete(self.newest)


def choose_quarter(con: duckdb.DuckDBPyConnection, requested: Quarter | None) -> tuple[Quarter, dict]:
    """The quarter to report (the latest complete one in the data unless requested) and the span."""
    span = query(con, "span")[0]
    if not span["n_passages"]:
        raise NoDataError("the warehouse holds no passages: run `whitehall run nightly` (or `make run`) first")
    first = Quarter.of(span["oldest"])
    quarter = requested or latest_complete(span["newest"])
    if quarter < first:
        raise NoDataError(f"no complete quarter in the data yet (passages run from {span['oldest']} "
                          f"to {span['newest']})" if requested is None else
                          f"{quarter} is before the first passage ({span['oldest']})")
    if quarter > Quarter.of(span["newest"]):
        raise NoDataError(f"{quarter} is after the newest passage ({span['newest']})")
    return quarter, span


def load(con: duckdb.DuckDBPyConnection, requested: Quarter | None = None) -> ReportData:
    """Read everything the report needs for one quarter."""
    quarter, span = choose_quarter(con, requested)
    relations = {r["name"] for r in query(con, "relations")}
    window = {"start": quarter.start, "end": quarter.end}

    def optional(name: str) -> list[dict] | None:
        needed = OPTIONAL[name]
        return query(con, name) if needed in relations else None

    models = query(con, "model")
    model = models[0] if models else None
    if model and isinstance(model.get("card"), str):
        model["card"] = json.loads(model["card"] or "{}")
    runs = query(con, "last_run")
    index_view, index_error = None, None
    if OPTIONAL["adoption_index"] in relations:
        try:
            index_view = query(con, "adoption_index")
        except duckdb.Error as exc:  # not a contract view: its shape may change under us
            index_error = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return ReportData(
        quarter=quarter,
        oldest=span["oldest"],
        newest=span["newest"],
        n_passages=span["n_passages"],
        relations=relations,
        by_source_type=query(con, "trend_by_source_type"),
        by_role=optional("trend_by_role"),
        by_party=optional("trend_by_party"),
        changes=optional("changes"),
        adoption=optional("adoption"),
        diffusion=optional("diffusion"),
        correlation=_correlations(query(con, "frame_correlation")[0]),
        model=model,
        source_counts=query(con, "source_counts", window),
        gaps=query(con, "gaps", window),
        quarantine=query(con, "quarantine"),
        last_run=runs[0] if runs else None,
        index_view=index_view,
        index_view_error=index_error,
    )


def _correlations(row: dict) -> dict[tuple[str, str], float]:
    """{(a, b): rho} from the one row of frame_correlation.sql (columns 'a|b'; NULL: no variation)."""
    return {tuple(name.split("|")): float(rho) for name, rho in row.items()
            if rho is not None and rho == rho}


def load_examples(con: duckdb.DuckDBPyConnection, label: str, quarter: Quarter,
                  limit: int = EXAMPLES_PER_FRAME) -> list[dict]:
    """The strongest passages of a quarter carrying one label, one per speaker."""
    return query(con, "examples", {"label": label, "start": quarter.start, "end": quarter.end,
                                   "limit": limit})
