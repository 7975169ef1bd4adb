"""Read-only connections to the published warehouse, for researchers and the CLI.

`connect()` takes a path, or else WHITEHALL_DB, or else data/whitehall.duckdb, resolved when it
is called. It is an entry point for people at a notebook, so it reads the environment itself
(the one place in the warehouse package that does): the published file is a snapshot that the
nightly run replaces atomically, so an open connection keeps reading the snapshot it opened.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_DB = Path("data") / "whitehall.duckdb"


def published_path(path: str | os.PathLike | None = None) -> Path:
    """The published warehouse: `path`, else $WHITEHALL_DB, else $WHITEHALL_DATA_DIR/whitehall.duckdb."""
    if path is not None:
        return Path(path)
    if os.environ.get("WHITEHALL_DB"):
        return Path(os.environ["WHITEHALL_DB"])
    if os.environ.get("WHITEHALL_DATA_DIR"):
        return Path(os.environ["WHITEHALL_DATA_DIR"]) / DEFAULT_DB.name
    return DEFAULT_DB


def connect(path: str | os.PathLike | None = None, **config: object) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection to the latest published warehouse snapshot.

    The file is attached read-only (as `whitehall`, made the default catalog) to a fresh
    in-memory database, rather than opened with `duckdb.connect(path)`: DuckDB shares one open
    database per path within a process, so a second `duckdb.connect(path)` while an earlier
    connection is open would return the earlier snapshot. Each `connect()` sees the newest.
    """
    db = published_path(path)
    if not db.is_file():
        raise FileNotFoundError(
            f"no published warehouse at {db}: run `whitehall run nightly` (or `make run`) first, "
            "or pass the path of a warehouse file"
        )
    con = duckdb.connect(":memory:", config=dict(config))
    con.execute(f"ATTACH '{_quote(db)}' AS whitehall (READ_ONLY)")
    con.execute("USE whitehall")
    return con


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
