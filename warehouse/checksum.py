"""Checksums over the warehouse's content tables, leaving out run bookkeeping (ids, timestamps)."""

from __future__ import annotations

import duckdb

# table -> the columns that are content (bookkeeping columns such as loaded_at are left out)
CONTENT = {
    "documents": ("document_id", "source", "source_type", "item_id", "version", "url", "title", "date",
                  "content_hash", "raw_sha256", "n_passages"),
    "passages": ("passage_id", "document_id", "seq", "source", "source_type", "url", "locator", "date",
                 "speaker", "speaker_id", "role", "party", "department", "text", "context", "content_hash"),
    "labels": ("passage_id", "content_hash", "model_version", "codebook_version", "label", "probability",
               "decision", "evidence"),
    "watermarks": ("source", "cursor"),
    "annotations": ("passage_id", "content_hash", "annotator", "relevant", "frames",
                    "explicit_trait_vocabulary", "codebook_version", "stream", "sample_design", "p_inclusion"),
}


def table_checksum(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]) -> tuple[int, str]:
    """(row count, order-independent hash of the content columns)."""
    cols = ", ".join(columns)
    row = con.execute(
        f"SELECT count(*), coalesce(sum(hash({cols})) % 18446744073709551557, 0)::VARCHAR "
        f"FROM (SELECT {cols} FROM {table})"
    ).fetchone()
    return int(row[0]), str(row[1])


def content_checksum(con: duckdb.DuckDBPyConnection, tables: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[int, str]]:
    """Checksums of every content table that exists in this warehouse."""
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return {t: table_checksum(con, t, cols) for t, cols in (tables or CONTENT).items() if t in present}
