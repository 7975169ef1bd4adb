"""The backfill flow on a few months of the sample archive: threads and a 2-worker Dask
LocalCluster, from the same code with only configuration changed, load identical content."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from flows.backfill import month_buckets, months
from warehouse.checksum import content_checksum

pytestmark = pytest.mark.slow

FIRST, LAST = date(2016, 1, 1), date(2016, 4, 30)


def _checksum(data_dir):
    with duckdb.connect(str(data_dir / "whitehall.duckdb"), read_only=True) as con:
        return content_checksum(con), con.execute("SELECT count(*), min(date), max(date) FROM passages").fetchone()


def test_months_and_buckets_cover_the_range_once():
    from extractors.base import ItemRef
    from extractors.govuk import GovukExtractor

    assert months(date(2016, 11, 15), date(2017, 2, 1)) == [date(2016, 11, 1), date(2016, 12, 1),
                                                           date(2017, 1, 1), date(2017, 2, 1)]
    refs = [ItemRef("govuk", str(i), "u", c) for i, c in enumerate(
        ["2016-01-31T23:00:00Z", "2016-02-01T00:00:00Z", "2016-03-31T10:00:00Z", "2016-04-01T00:00:00Z"])]
    buckets = month_buckets(GovukExtractor(), refs, date(2016, 1, 1), date(2016, 3, 31))
    assert [(m, [r.item_id for r in b]) for m, b in buckets] == [
        (date(2016, 1, 1), ["0"]), (date(2016, 2, 1), ["1"]), (date(2016, 3, 1), ["2"])]


def test_backfill_threads_and_dask_give_identical_warehouses(data_dir, prefect_harness, monkeypatch, tmp_path):
    from flows.backfill import backfill

    dask_dir = tmp_path / "dask-data"
    shutil.copytree(data_dir / "archive", dask_dir / "archive")

    threads = backfill(FIRST, LAST, transport="replay")
    assert threads["task_runner"] == "threads" and threads["status"] == "completed"
    totals = threads["totals"]
    assert totals["loaded"] > 20 and totals["discovered"] == sum(
        totals[s] for s in ("loaded", "unchanged", "skipped", "quarantined", "failed_transient"))
    assert threads["months"] >= 8  # several sources x 4 months
    expected, (n, first, last) = _checksum(data_dir)
    assert n > 200 and FIRST <= first and last <= LAST

    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(dask_dir))
    monkeypatch.setenv("WHITEHALL_TASK_RUNNER", "dask")
    monkeypatch.setenv("WHITEHALL_DASK_WORKERS", "2")
    monkeypatch.setenv("WHITEHALL_RESULT_STORAGE", str(tmp_path / "results"))
    dask = backfill(FIRST, LAST, transport="replay")
    assert dask["task_runner"] == "dask" and dask["totals"] == totals
    assert _checksum(dask_dir) == (expected, (n, first, last))
    assert len(list((tmp_path / "results").iterdir())) == dask["months"]  # results on the shared storage
