"""Opening the warehouse: the working database the pipeline writes, and read-only connections."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.schema import migrate


def open_db(path: Path | str, *, read_only: bool = False, threads: int | None = None,
            run_migrations: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (and, for writers, migrate) a warehouse file."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `whitehall run nightly` (or `make run`) first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {"threads": threads} if threads else {}
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    if not read_only and run_migrations:
        migrate(con)
    return con


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the content tables."""
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "passages", "labels", "quarantine", "runs")}
