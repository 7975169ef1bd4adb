"""Marking what the trend refresh must recompute (tables of migration 018).

Whatever writes passages, current labels or gold annotations marks what it changed, inside
the transaction of the change, so a mark commits (or rolls back) with it and a killed run
loses none:
- passages inserted or deleted: their ids (`mark_passages`, `mark_documents` before a delete);
- labels of the current model: the decisions written (`log_decisions`), which the refresh
  takes instead of reading the labels table;
- gold annotations and gold draws: their quarters (`mark_quarters`), estimated again.
A passage text's labels are rewritten only through warehouse.loader.write_labels, which logs
them. A change of current model, of its measured error or of the estimator's settings needs no
mark: the refresh recomputes everything then. Each helper costs what it marks.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa

QUARTER_OF_DATE = "strftime(date, '%Y') || '-Q' || quarter(date)"
DECISION_COLUMNS = ("relevant", "p_relevant", "blob", "p_blob", "hero", "p_hero", "advice", "p_advice",
                    "delivery", "p_delivery", "candour", "p_candour", "understanding", "p_understanding",
                    "impartiality", "p_impartiality", "explicit_trait_vocabulary")


def mark_quarters(con: duckdb.DuckDBPyConnection, quarters: Iterable[str]) -> None:
    """Mark quarters ('YYYY-Qn') to be estimated again."""
    quarters = sorted(set(quarters))
    if quarters:
        con.execute("INSERT INTO trend_dirty_quarters SELECT unnest(?), now()", [quarters])


def mark_passages(con: duckdb.DuckDBPyConnection, passage_ids: Iterable[str]) -> None:
    """Mark passages inserted or deleted (or whose row otherwise changed)."""
    ids = sorted(set(passage_ids))
    if ids:
        con.execute("INSERT INTO trend_dirty_passages (passage_id, marked_at) SELECT unnest(?), now()", [ids])


def mark_documents(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> None:
    """Mark the stored passages of some documents (call it before deleting them)."""
    if document_ids:
        con.execute("INSERT INTO trend_dirty_passages (passage_id, marked_at) SELECT passage_id, now() "
                    "FROM passages WHERE document_id IN (SELECT unnest(?))", [document_ids])


def log_decisions(con: duckdb.DuckDBPyConnection, decisions: dict[str, list]) -> None:
    """Log the current model's decisions just written to `labels`: columns passage_id,
    content_hash, DECISION_COLUMNS and model_version, one row per passage text. A later log of
    the same text replaces an earlier one, as the labels do."""
    if not decisions["passage_id"]:
        return
    con.register("_decisions", pa.table(decisions))
    try:
        con.execute("DELETE FROM trend_dirty_passages WHERE content_hash IS NOT NULL AND (passage_id, content_hash) "
                    "IN (SELECT passage_id, content_hash FROM _decisions)")
        columns = ", ".join(("passage_id", "content_hash", *DECISION_COLUMNS, "model_version"))
        con.execute(f"INSERT INTO trend_dirty_passages ({columns}, marked_at) SELECT {columns}, now() FROM _decisions")
    finally:
        con.unregister("_decisions")


def mark_passage_text(con: duckdb.DuckDBPyConnection, passage_id: str, content_hash: str) -> None:
    """Mark the quarter of one passage, if this is its current text (an index look-up)."""
    con.execute(f"INSERT INTO trend_dirty_quarters SELECT {QUARTER_OF_DATE}, now() FROM passages "
                "WHERE passage_id = ? AND content_hash = ?", [passage_id, content_hash])


def dirty_quarters(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The quarters marked to be estimated again, distinct."""
    return [q for (q,) in con.execute("SELECT DISTINCT quarter FROM trend_dirty_quarters ORDER BY 1").fetchall()]


def dirty_passages(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The passages marked, distinct."""
    return [p for (p,) in con.execute("SELECT DISTINCT passage_id FROM trend_dirty_passages ORDER BY 1").fetchall()]
