"""What the report reads from the warehouse: the trend views and a few counts, via queries/*.sql.

The trend views always exist (migrations 006 and 007) but may hold no rows, or rows with a NULL
share: before refresh_trends has run, or for a group with no relevant passages. The report says
so where it would have shown them.
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
    by_source_type: list[dict]
    adoption_index: list[dict]
    estimate_methods: dict[str, int]  # method -> the quarter's frame shares it estimated
    changes: list[dict]
    adoption: list[dict]
    diffusion: list[dict]
    model: dict | None
    source_counts: list[dict]
    gaps: list[dict]
    quarantine: list[dict]
    last_run: dict | None

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
    window = {"start": quarter.start, "end": quarter.end}
    models = query(con, "model")
    model = models[0] if models else None
    if model and isinstance(model.get("card"), str):
        model["card"] = json.loads(model["card"] or "{}")
    runs = query(con, "last_run")
    return ReportData(
        quarter=quarter,
        oldest=span["oldest"],
        newest=span["newest"],
        n_passages=span["n_passages"],
        by_source_type=query(con, "trend_by_source_type"),
        adoption_index=query(con, "adoption_index"),
        estimate_methods={r["method"]: r["n_estimates"] for r in query(con, "estimate_methods",
                                                                        {"quarter": str(quarter)})},
        changes=query(con, "changes"),
        adoption=query(con, "adoption"),
        diffusion=query(con, "diffusion"),
        model=model,
        source_counts=query(con, "source_counts", window),
        gaps=query(con, "gaps", window),
        quarantine=query(con, "quarantine"),
        last_run=runs[0] if runs else None,
    )


def load_examples(con: duckdb.DuckDBPyConnection, label: str, quarter: Quarter,
                  limit: int = EXAMPLES_PER_FRAME) -> list[dict]:
    """The strongest passages of a quarter carrying one label, one per speaker."""
    return query(con, "examples", {"label": label, "start": quarter.start, "end": quarter.end,
                                   "limit": limit})
