"""The disk fills during a write (simulated): a clear error, nothing half-published or half-loaded,
and the next run, with space again, ends identical to a clean build."""

from __future__ import annotations

import errno
import os

import duckdb
import pytest

from flows.nightly import DiskFullError
from tests.faults.conftest import MATRIX_SETTINGS, MATRIX_SOURCES
from tests.faults.harness import START, Fault, assert_reconciles, duplicates, scenario
from warehouse.publish import PublishError

pytestmark = pytest.mark.slow


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _half_documents(con: duckdb.DuckDBPyConnection) -> int:
    """Documents whose stored passages are not all there (a half-written load)."""
    return con.execute("SELECT count(*) FROM documents d WHERE n_passages <> (SELECT count(*) FROM passages p"
                       " WHERE p.document_id = d.document_id)").fetchone()[0]


def test_disk_full_while_publishing_leaves_the_old_snapshot_whole(tmp_path, origin, clean_matrix, monkeypatch):
    from flows.nightly import nightly
    from warehouse import publish as publish_module

    clean, _ = clean_matrix
    night = scenario(tmp_path, origin, MATRIX_SOURCES, **MATRIX_SETTINGS).install(monkeypatch)
    night.transport.faults = [Fault("/lordspages/", "status", 503)]  # the first night lacks the Lords
    first = nightly()
    assert first["published"]
    before = night.checksum(published=True)
    snapshot = night.db.read_bytes()

    night.transport.active = False
    real_copy = publish_module.shutil.copyfileobj

    def copy_then_fill(source, target, length=0):
        target.write(source.read(1024 * 1024))  # a first megabyte lands, then the disk is full
        _enospc()

    monkeypatch.setattr(publish_module.shutil, "copyfileobj", copy_then_fill)
    with pytest.raises(PublishError, match=r"No space left on device \(errno 28\)\. The previous snapshot is "
                                           r"untouched"):
        nightly()
    assert night.db.read_bytes() == snapshot and night.checksum(published=True) == before
    assert not list(night.db.parent.glob(".whitehall.duckdb.publishing-*"))  # no half copy left behind
    with night.read() as con:  # the run itself committed: the working copy has the Lords now
        assert con.execute("SELECT count(*) FROM documents WHERE item_id LIKE 'lordspages/%'").fetchone()[0] > 0
        assert _half_documents(con) == 0

    monkeypatch.setattr(publish_module.shutil, "copyfileobj", real_copy)  # space again
    third = nightly()
    assert third["totals"]["loaded"] == 0 and third["published"]  # nothing new, but the unpublished run is
    assert night.current_checksum(published=True) == clean.current_checksum(published=True)


def test_disk_full_inside_a_load_rolls_the_batch_back(tmp_path, origin, clean_matrix, monkeypatch):
    from flows.nightly import nightly
    from warehouse import loader

    clean, _ = clean_matrix
    night = scenario(tmp_path, origin, MATRIX_SOURCES, **MATRIX_SETTINGS).install(monkeypatch)
    real_insert, calls = loader._insert_passages, []

    def insert_until_full(con, planned):
        calls.append(len(planned))
        if len(calls) == 2:  # the second batch: its old passages are deleted, then the write fails
            raise duckdb.IOException('Could not write file "whitehall.duckdb.wal": No space left on device')
        return real_insert(con, planned)

    monkeypatch.setattr(loader, "_insert_passages", insert_until_full)
    with pytest.raises(DiskFullError, match="disk full .* the batch being written was rolled back"):
        nightly()
    assert not night.db.exists()  # nothing was published
    with night.read() as con:
        status, error = con.execute("SELECT status, error FROM runs").fetchone()
        assert status == "failed" and error.startswith("disk full (No space left on device)")
        assert con.execute("SELECT count(DISTINCT run_id) FROM run_items").fetchone()[0] == 1
        first_batch = con.execute("SELECT count(*) FROM run_items").fetchone()[0]
        assert first_batch == MATRIX_SETTINGS["load_batch_documents"]  # batch 1 stands, batch 2 left no trace
        loaded = con.execute("SELECT count(*) FROM run_items WHERE state = 'loaded'").fetchone()[0]
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == loaded
        assert _half_documents(con) == 0
        watermark = con.execute("SELECT cursor FROM watermarks WHERE source = 'hansard'").fetchone()[0]
        assert watermark == con.execute("SELECT max(cursor) FROM run_items").fetchone()[0]
        failed = con.execute("SELECT source, status FROM run_sources ORDER BY 1").fetchall()
        assert failed == [(s, "failed") for s in sorted(MATRIX_SOURCES)]

    monkeypatch.setattr(loader, "_insert_passages", real_insert)
    rerun = nightly()
    with night.read() as con:
        assert_reconciles(con, rerun["run_id"])
        assert duplicates(con) == 0
    assert night.current_checksum() == clean.current_checksum()
    assert night.current_checksum(published=True) == clean.current_checksum(published=True)


def test_disk_full_in_the_raw_archive_fails_the_run_clearly(tmp_path, origin, clean_matrix, monkeypatch):
    from extractors.archive import RawArchive
    from flows.nightly import nightly

    clean, _ = clean_matrix
    night = scenario(tmp_path, origin, MATRIX_SOURCES, **MATRIX_SETTINGS).install(monkeypatch)
    real_store = RawArchive.store
    stored = []

    def store_until_full(self, data):
        stored.append(len(data))
        if len(stored) > 12:  # the members files and a first batch fit; then the disk is full
            _enospc()
        return real_store(self, data)

    monkeypatch.setattr(RawArchive, "store", store_until_full)
    with pytest.raises(DiskFullError, match="disk full"):
        nightly()
    with night.read() as con:
        assert con.execute("SELECT status FROM runs").fetchone()[0] == "failed"
        assert _half_documents(con) == 0
    monkeypatch.setattr(RawArchive, "store", real_store)
    nightly()
    assert night.current_checksum() == clean.current_checksum()
    assert START.year == 2026
