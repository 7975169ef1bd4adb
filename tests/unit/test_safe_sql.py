"""`whitehall sql`: one SELECT on a locked-down read-only connection; each refusal, with its message."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import ROOT
from tests.small_warehouse import build
from warehouse import safe_sql
from warehouse.checksum import content_checksum
from warehouse.safe_sql import RefusedQuery


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("sql") / "whitehall.duckdb")


def test_a_select_runs_and_returns_columns_and_rows(db):
    result = safe_sql.run(db, "SELECT source_type, count(*) AS n FROM v_passages GROUP BY 1 ORDER BY 1")
    assert result.columns == ["source_type", "n"]
    assert dict(result.rows) == {"committee_evidence": 96, "debate": 96}


@pytest.mark.parametrize("query", [
    "DESCRIBE v_passages",
    "EXPLAIN SELECT * FROM v_passages",
    "WITH x AS (SELECT 1 AS a) SELECT * FROM x",
    "PIVOT v_passages ON source_type IN ('debate', 'committee_evidence') USING count(*) GROUP BY role",
    "SELECT * FROM duckdb_settings() WHERE name = 'enable_external_access'",
])
def test_reading_queries_are_allowed(db, query):
    assert safe_sql.run(db, query).rows


REFUSALS = [
    # (query, what the message must say)
    ("INSERT INTO passages (passage_id) VALUES ('x')", "INSERT statement: writes are refused"),
    ("UPDATE passages SET text = ''", "UPDATE statement: writes are refused"),
    ("DELETE FROM annotations", "DELETE statement: writes are refused"),
    ("CREATE TABLE mine AS SELECT 1", "CREATE statement: writes are refused"),
    ("CREATE TEMP TABLE mine AS SELECT 1", "CREATE statement: writes are refused"),
    ("DROP VIEW v_passages", "DROP statement: writes are refused"),
    ("ALTER TABLE passages ADD COLUMN x INT", "ALTER statement: writes are refused"),
    ("ATTACH '/tmp/other.duckdb' AS other", "ATTACH statement: ATTACH is refused"),
    ("DETACH other", "DETACH statement: ATTACH is refused"),
    ("COPY passages TO '/tmp/passages.csv'", "COPY statement: COPY ... TO is refused"),
    ("COPY (SELECT * FROM v_passages) TO '/tmp/p.parquet' (FORMAT parquet)", "COPY ... TO is refused"),
    ("EXPORT DATABASE '/tmp/whole'", "EXPORT statement: COPY ... TO is refused"),
    ("INSTALL fts", "INSTALL and LOAD are refused"),
    ("FORCE INSTALL httpfs", "INSTALL and LOAD are refused"),
    ("LOAD fts", "INSTALL and LOAD are refused"),
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv(): reading local files is refused"),
    ("SELECT * FROM read_csv_auto('notes.csv')", "read_csv_auto(): reading local files is refused"),
    ("SELECT * FROM read_parquet('export/*.parquet')", "read_parquet(): reading local files is refused"),
    ("SELECT * FROM read_json('x.json')", "read_json(): reading local files is refused"),
    ("SELECT * FROM read_text('/etc/hostname')", "read_text(): reading local files is refused"),
    ("SELECT * FROM read_blob('/etc/hostname')", "read_blob(): reading local files is refused"),
    ("SELECT * FROM glob('/etc/*')", "glob(): reading local files is refused"),
    ("SELECT * FROM sniff_csv('/etc/passwd')", "sniff_csv(): reading local files is refused"),
    ("SELECT * FROM '/etc/passwd'", "FROM '/etc/passwd': reading local files is refused"),
    ("SELECT * FROM 'passages.csv'", "FROM 'passages.csv': reading local files is refused"),
    ("SELECT count(*) FROM v_passages WHERE passage_id IN (SELECT * FROM read_csv('ids.csv'))",
     "read_csv(): reading local files is refused"),
    ("WITH f AS (SELECT * FROM read_parquet('a.parquet')) SELECT * FROM f", "read_parquet(): reading local files"),
    ("SELECT * FROM query('SELECT 1')", "query(): runs SQL text that cannot be checked"),
    ("SET enable_external_access = true", "SET statement: only SELECT"),
    ("PRAGMA enable_profiling", "PRAGMA statement: only SELECT"),
    ("CALL pragma_version()", "CALL statement: only SELECT"),
    ("BEGIN TRANSACTION", "TRANSACTION statement: only SELECT"),
    ("SELECT 1; SELECT 2", "one statement at a time (2 given)"),
    ("PIVOT v_passages ON source_type USING count(*)", "a PIVOT needs its values listed"),
    ("SELEKT 1", "the query does not parse"),
]


@pytest.mark.parametrize("query,message", REFUSALS, ids=[q[:40] for q, _ in REFUSALS])
def test_each_refusal_says_why_and_changes_nothing(db, query, message):
    before = content_checksum(duckdb.connect(str(db), read_only=True))
    with pytest.raises(RefusedQuery, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        safe_sql.run(db, query)
    assert content_checksum(duckdb.connect(str(db), read_only=True)) == before


@pytest.mark.parametrize("query,error", [
    ("SELECT * FROM read_csv('/etc/passwd')", duckdb.PermissionException),
    ("ATTACH '/tmp/other.duckdb' AS other", duckdb.PermissionException),
    ("COPY (SELECT 1) TO '/tmp/one.csv'", duckdb.PermissionException),
    ("LOAD fts", duckdb.PermissionException),
    ("SET enable_external_access = true", duckdb.InvalidInputException),
    ("SET lock_configuration = false", duckdb.InvalidInputException),
    ("INSERT INTO models (model_version, codebook_version, kind) VALUES ('x', 'y', 'z')", duckdb.Error),
])
def test_duckdbs_own_settings_refuse_even_without_the_statement_check(db, query, error):
    con = safe_sql.safe_connect(db)
    assert con.execute("SELECT current_setting('enable_external_access')").fetchone()[0] is False
    with pytest.raises(error):
        con.execute(query)


def test_a_permission_error_the_check_misses_becomes_a_clear_refusal(db, monkeypatch):
    monkeypatch.setattr(safe_sql, "check", lambda con, query: None)
    with pytest.raises(RefusedQuery, match="reading local files is refused"):
        safe_sql.run(db, "SELECT * FROM read_csv('/etc/passwd')")


def _cli(db, *args):
    env = {"WHITEHALL_DB": str(db), "PATH": "/usr/bin:/bin", "HOME": str(db.parent)}
    return subprocess.run([sys.executable, "-m", "whitehall.cli", "sql", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_cli_writes_json_and_csv_and_exits_2_on_a_refusal(db):
    out = _cli(db, "SELECT role, count(*) AS n FROM v_passages GROUP BY 1 ORDER BY 1", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {r["role"] for r in rows} >= {"minister", "external_witness"} and sum(r["n"] for r in rows) == 192
    out = _cli(db, "SELECT passage_id, date FROM v_passages ORDER BY date LIMIT 2", "--format", "csv")
    assert out.stdout.splitlines()[0] == "passage_id,date" and out.stdout.splitlines()[1].endswith(",2023-01-10")
    refused = _cli(db, "DELETE FROM passages")
    assert refused.returncode == 2 and "writes are refused" in refused.stderr and not refused.stdout
