"""`from warehouse import connect`: a read-only connection, its path resolved when it is called."""

from __future__ import annotations

import duckdb
import pytest

from tests.small_warehouse import build
from warehouse import connect


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("access") / "whitehall.duckdb")


def test_connect_reads_the_published_warehouse_read_only(db):
    con = connect(db)
    assert con.execute("SELECT count(*) FROM v_passages").fetchone()[0] == 192
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute("DELETE FROM annotations")


def test_the_default_path_is_resolved_at_the_call(db, tmp_path, monkeypatch):
    monkeypatch.delenv("WHITEHALL_DB", raising=False)
    monkeypatch.delenv("WHITEHALL_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="data/whitehall.duckdb"):
        connect()
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(db.parent))  # set after import: still honoured
    assert connect().execute("SELECT count(*) FROM v_passages").fetchone()[0] == 192
    monkeypatch.setenv("WHITEHALL_DB", str(tmp_path / "elsewhere.duckdb"))  # WHITEHALL_DB wins
    with pytest.raises(FileNotFoundError, match="elsewhere.duckdb"):
        connect()


def test_each_connect_sees_the_newest_snapshot_while_an_older_one_stays_open(db, tmp_path):
    from tests.small_warehouse import invented_documents

    target = tmp_path / "data" / "whitehall.duckdb"
    build(target, invented_documents(days=4))
    old = connect(target)
    assert old.execute("SELECT count(*) FROM v_passages").fetchone()[0] == 32
    build(target, invented_documents(days=6))  # publishes a new snapshot over the file
    assert connect(target).execute("SELECT count(*) FROM v_passages").fetchone()[0] == 48
    assert old.execute("SELECT count(*) FROM v_passages").fetchone()[0] == 32
