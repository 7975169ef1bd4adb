"""Which model versions have labelled the warehouse, and which one is current."""

from __future__ import annotations

import json

import duckdb


def register_model(con: duckdb.DuckDBPyConnection, model_version: str, codebook_version: str,
                   kind: str, card: dict | None = None, make_current: bool = True) -> None:
    """Record a model version (idempotent) and optionally make it the one views read."""
    con.execute("BEGIN TRANSACTION")
    try:
        exists = con.execute("SELECT count(*) FROM models WHERE model_version = ?", [model_version]).fetchone()[0]
        if not exists:
            con.execute(
                "INSERT INTO models (model_version, codebook_version, kind, card, registered_at, is_current)"
                " VALUES (?, ?, ?, ?::JSON, now(), false)",
                [model_version, codebook_version, kind, json.dumps(card or {}, sort_keys=True)],
            )
        if make_current:
            current = current_model(con)
            if current != model_version:
                con.execute("UPDATE models SET is_current = false WHERE is_current")
                con.execute("UPDATE models SET is_current = true WHERE model_version = ?", [model_version])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def current_model(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute("SELECT model_version FROM models WHERE is_current").fetchall()  # leaves no result open
    return rows[0][0] if rows else None


def model_card(con: duckdb.DuckDBPyConnection, model_version: str) -> dict:
    row = con.execute("SELECT card FROM models WHERE model_version = ?", [model_version]).fetchone()
    return json.loads(row[0]) if row and row[0] else {}
