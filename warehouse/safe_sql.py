"""`whitehall sql`: run one researcher query on the published warehouse, and refuse the rest.

Two layers, so that neither is the only guard:
1. DuckDB's own settings: the file opens `read_only`, with `enable_external_access = false`
   (no file system, no ATTACH, no extension loading) and `lock_configuration = true` (a query
   cannot turn them back on).
2. A statement check before anything runs: DuckDB parses the query (`extract_statements`) and
   only SELECT and EXPLAIN statements pass; the parse tree of a SELECT (`json_serialize_sql`) is
   walked for table functions that read files and for file paths used as tables.
A refusal raises `RefusedQuery` with a message that says what to do instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import duckdb

SAFE_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}

ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}

_ADVICE = {
    "write": "writes are refused: `whitehall sql` reads the published warehouse snapshot, which is "
             "read-only. Save a result with `--format csv -o FILE`, or take a copy with `whitehall export`.",
    "ATTACH": "ATTACH is refused: `whitehall sql` reads the published warehouse only. To combine it with "
              "other databases, open it yourself: `from warehouse import connect`.",
    "COPY": "COPY ... TO is refused: write a result with `--format csv|json -o FILE`, "
            "or the whole warehouse with `whitehall export --format parquet --out DIR`.",
    "LOAD": "INSTALL and LOAD are refused: `whitehall sql` runs with the extensions DuckDB ships built in.",
    "files": "reading local files is refused: `whitehall sql` reads the warehouse only. To join your own "
             "files, open the warehouse in DuckDB yourself (`from warehouse import connect`).",
    "other": "only SELECT (and EXPLAIN) queries run here",
}
_KIND = {
    "INSERT": "write", "UPDATE": "write", "DELETE": "write", "CREATE": "write", "DROP": "write",
    "ALTER": "write", "CREATE_FUNC": "write", "UPDATE_EXTENSIONS": "LOAD", "ATTACH": "ATTACH",
    "DETACH": "ATTACH", "COPY": "COPY", "EXPORT": "COPY", "COPY_DATABASE": "COPY", "LOAD": "LOAD",
}
# Table functions that read files or run SQL text the check cannot see.
FILE_FUNCTIONS = {
    "read_csv", "read_csv_auto", "sniff_csv", "read_parquet", "parquet_scan", "parquet_metadata",
    "parquet_schema", "parquet_file_metadata", "parquet_kv_metadata", "parquet_bloom_probe",
    "read_json", "read_json_auto", "read_json_objects", "read_json_objects_auto", "read_ndjson",
    "read_ndjson_auto", "read_ndjson_objects", "read_text", "read_blob", "glob", "read_xlsx",
    "iceberg_scan", "delta_scan", "sqlite_scan", "sqlite_attach", "postgres_scan", "mysql_scan",
    "st_read", "read_avro",
}
# Table functions that run SQL text, which the check cannot see inside.
SQL_TEXT_FUNCTIONS = {"query", "query_table"}
_PATH_LIKE = re.compile(r"[/\\*?]|\.(csv|tsv|txt|parquet|json|jsonl|ndjson|gz|zst|xlsx|db|duckdb|sqlite)$",
                        re.IGNORECASE)


class RefusedQuery(ValueError):
    """A query `whitehall sql` will not run, with the reason and what to do instead."""


@dataclass
class QueryResult:
    columns: list[str]
    types: list[str]
    rows: list[tuple]


def safe_connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with external access off and the configuration locked."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"no published warehouse at {path}: run `whitehall run nightly` first")
    return duckdb.connect(str(path), read_only=True, config=dict(SAFE_CONFIG))


def _walk(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def check(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raise RefusedQuery unless `query` is exactly one SELECT/EXPLAIN that reads no files."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise RefusedQuery(f"the query does not parse: {exc}") from None
    if not statements:
        raise RefusedQuery("no query given")
    if len(statements) > 1:
        raise RefusedQuery(f"one statement at a time ({len(statements)} given)")
    statement = statements[0]
    if statement.type not in ALLOWED:
        kind = _KIND.get(statement.type.name, "other")
        if statement.type.name == "MULTI":
            raise RefusedQuery(f"{_ADVICE['other']}; a PIVOT needs its values listed: "
                               "PIVOT v ON col IN ('a', 'b') USING ...")
        raise RefusedQuery(f"{statement.type.name} statement: {_ADVICE[kind]}")
    if statement.type == duckdb.StatementType.SELECT:
        _check_tree(con, query)


def _check_tree(con: duckdb.DuckDBPyConnection, query: str) -> None:
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [query]).fetchone()[0])
    if tree.get("error"):
        raise RefusedQuery(f"the query does not parse: {tree.get('error_message', tree)}")
    for node in _walk(tree["statements"]):
        if node.get("type") == "TABLE_FUNCTION":
            name = (node.get("function") or {}).get("function_name", "").lower()
            if name in FILE_FUNCTIONS:
                raise RefusedQuery(f"{name}(): {_ADVICE['files']}")
            if name in SQL_TEXT_FUNCTIONS:
                raise RefusedQuery(f"{name}(): runs SQL text that cannot be checked; write the query itself")
        elif node.get("type") == "BASE_TABLE":
            name = node.get("table_name", "")
            if _PATH_LIKE.search(name):
                raise RefusedQuery(f"FROM '{name}': {_ADVICE['files']}")


def run(path: Path, query: str) -> QueryResult:
    """Check and run one query on a safe connection to the warehouse at `path`."""
    con = safe_connect(path)
    try:
        check(con, query)
        try:
            relation = con.execute(query)
            rows = relation.fetchall()
        except duckdb.PermissionException as exc:  # the settings caught what the check did not
            raise RefusedQuery(f"{_ADVICE['files']} (DuckDB: {exc})") from None
        description = relation.description or []
        return QueryResult([d[0] for d in description], [str(d[1]) for d in description], rows)
    finally:
        con.close()
