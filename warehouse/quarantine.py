"""The quarantine: items that failed to fetch or parse, with their error and raw bytes, for an operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

_COLUMNS = ("q.quarantine_id, q.run_id, q.source, q.item_id, q.url, q.stage, q.error, q.raw_sha256,"
            " q.created_at, coalesce(q.attempts, 1), coalesce(q.last_run, q.run_id), q.resolved_run,"
            " q.resolved_at, ri.cursor")
_FROM = (" FROM quarantine AS q LEFT JOIN run_items AS ri"
         " ON ri.run_id = q.run_id AND ri.source = q.source AND ri.item_id = q.item_id")


@dataclass(frozen=True)
class QuarantinedItem:
    quarantine_id: int
    run_id: int
    source: str
    item_id: str
    url: str | None
    stage: str
    error: str
    raw_sha256: str | None
    created_at: datetime
    attempts: int
    last_run: int
    resolved_run: int | None
    resolved_at: datetime | None
    cursor: str | None

    @property
    def open(self) -> bool:
        return self.resolved_at is None


def list_items(con: duckdb.DuckDBPyConnection, *, source: str | None = None, ids: list[int] | None = None,
               include_resolved: bool = False) -> list[QuarantinedItem]:
    """Quarantined items, oldest first: open ones unless `include_resolved`."""
    where, args = [], []
    if not include_resolved:
        where.append("q.resolved_at IS NULL")
    if source:
        where.append("q.source = ?")
        args.append(source)
    if ids:
        where.append("q.quarantine_id IN (SELECT unnest(?))")
        args.append(list(ids))
    sql = f"SELECT {_COLUMNS}{_FROM}" + (" WHERE " + " AND ".join(where) if where else "")
    return [QuarantinedItem(*row) for row in con.execute(sql + " ORDER BY q.quarantine_id", args).fetchall()]


def get_item(con: duckdb.DuckDBPyConnection, quarantine_id: int) -> QuarantinedItem | None:
    rows = list_items(con, ids=[quarantine_id], include_resolved=True)
    return rows[0] if rows else None


def history(con: duckdb.DuckDBPyConnection, source: str, item_id: str) -> list[tuple]:
    """(run id, flow, started, state, reason, error) of every run that settled the item."""
    return con.execute(
        "SELECT ri.run_id, r.flow, r.started_at, ri.state, ri.reason, ri.error FROM run_items AS ri"
        " JOIN runs AS r USING (run_id) WHERE ri.source = ? AND ri.item_id = ? ORDER BY ri.run_id",
        [source, item_id],
    ).fetchall()
