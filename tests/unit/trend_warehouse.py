"""A small warehouse written straight into the tables, for the trend refresh tests."""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import pyarrow as pa

from warehouse.loader import LABEL_NAMES
from warehouse.model_registry import register_model
from warehouse.trends.dirty import mark_passages

MODEL = "test-model-1"
CODEBOOK = "ifg-2026.1"


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list]) -> None:
    con.register("_rows", pa.table(columns))
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def put_passages(con: duckdb.DuckDBPyConnection, rows: list[dict], model: str = MODEL) -> None:
    """Insert passages (id, date, source_type, role, party, speaker, speaker_id, labels: the
    decided labels, p: {label: probability}), one document each, and their labels, and mark
    the passages for the trend refresh (as the loader does, but without logging the decisions:
    the refresh reads them from the labels)."""
    docs: dict[str, list] = {c: [] for c in ("document_id", "source", "source_type", "item_id", "date",
                                             "content_hash", "n_passages")}
    passages: dict[str, list] = {c: [] for c in ("passage_id", "document_id", "seq", "source", "source_type",
                                                 "locator", "date", "speaker", "speaker_id", "role", "party",
                                                 "department", "text", "content_hash")}
    labels: dict[str, list] = {c: [] for c in ("passage_id", "content_hash", "model_version",
                                               "codebook_version", "label", "probability", "decision")}
    for r in rows:
        pid, text = r["id"], r.get("text", r["id"])
        content_hash = hashlib.sha256(text.encode()).hexdigest()
        source_type = r.get("source_type", "debate")
        for column, value in zip(docs, (f"d-{pid}", "hansard", source_type, pid, r["date"], content_hash, 1)):
            docs[column].append(value)
        values = (pid, f"d-{pid}", 0, "hansard", source_type, "x", r["date"], r.get("speaker"),
                  r.get("speaker_id"), r.get("role", "backbench_mp"), r.get("party"), r.get("department"),
                  text, content_hash)
        for column, value in zip(passages, values):
            passages[column].append(value)
        decided, probabilities = set(r.get("labels", ())), r.get("p", {})
        for label in LABEL_NAMES:
            on = label in decided
            for column, value in zip(labels, (pid, content_hash, model, CODEBOOK, label,
                                              float(probabilities.get(label, 1.0 if on else 0.0)), on)):
                labels[column].append(value)
    _insert(con, "documents", docs)
    _insert(con, "passages", passages)
    _insert(con, "labels", labels)
    mark_passages(con, [r["id"] for r in rows])


def make_warehouse(con: duckdb.DuckDBPyConnection, rows: list[dict], card: dict | None = None,
                   model: str = MODEL) -> None:
    register_model(con, model, CODEBOOK, "trained" if card else "keywords", card)
    put_passages(con, rows, model)


def quarter_start(quarter: str) -> date:
    year, q = quarter.split("-Q")
    return date(int(year), 3 * (int(q) - 1) + 1, 15)
