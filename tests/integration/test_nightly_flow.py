"""The nightly flow end to end under prefect_test_harness, on the synthetic sample archive."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from extractors.archive import RawArchive
from extractors.http import canonical_url
from extractors.parlparse import BASE_URL
from warehouse.checksum import content_checksum

pytestmark = pytest.mark.slow


def _read(data_dir):
    return duckdb.connect(str(data_dir / "whitehall.duckdb"), read_only=True)


def _inject_malformed_sitting(archive_dir) -> str:
    """Add a new, malformed Commons file to the archive and its changedates listing."""
    archive = RawArchive(archive_dir)
    listing_url = canonical_url(f"{BASE_URL}/debates/changedates.txt")
    listing = archive.read(archive.latest(listing_url).sha256)
    name = "debates2026-09-30a.xml"
    bad = b'<publicwhip scraperversion="d" latest="yes">\n  <speech id="x"><p pid="a1/1">unclosed\n'
    entry = archive.record(canonical_url(f"{BASE_URL}/debates/{name}"), bad, fetched_at="2026-10-02T00:00:00+00:00")
    archive.record(listing_url, listing + f"1800000000,{name}\n".encode(), fetched_at="2026-10-02T00:00:00+00:00")
    archive.close()
    return entry.sha256


def test_nightly_end_to_end_then_idempotent_then_quarantine(data_dir, prefect_harness):
    from flows.nightly import nightly

    first = nightly(transport="replay", since=date(2016, 1, 1))
    totals = first["totals"]
    assert first["status"] == "completed" and first["published"]
    assert totals["discovered"] == sum(totals[s] for s in ("loaded", "unchanged", "skipped", "quarantined", "failed_transient"))
    assert totals["loaded"] > 500 and totals["failed_transient"] == 0 and totals["quarantined"] == 0
    assert sum(first["skip_reasons"].values()) == totals["skipped"] and first["skip_reasons"]["superseded"] > 0
    with _read(data_dir) as con:
        n_passages, n_quarters = con.execute(
            "SELECT count(*), count(DISTINCT year(date) * 10 + quarter(date)) FROM passages").fetchone()
        assert n_passages >= 6000 and n_quarters >= 40
        assert con.execute("SELECT count(*) FROM v_passage_labels").fetchone()[0] == n_passages
        run = con.execute("SELECT discovered, loaded, unchanged, skipped, quarantined, failed_transient, status"
                          " FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
        assert run[0] == sum(run[1:6]) and run[6] == "completed"
        before = content_checksum(con)

    second = nightly(transport="replay", since=date(2016, 1, 1))
    assert second["totals"]["loaded"] == 0 and second["passages_loaded"] == 0
    assert second["totals"]["unchanged"] == totals["loaded"]
    assert not second["published"]
    with _read(data_dir) as con:
        assert content_checksum(con) == before

    third = nightly(transport="replay")  # from the watermark: nothing new
    assert third["totals"]["discovered"] == 0

    raw_sha = _inject_malformed_sitting(data_dir / "archive")
    fourth = nightly(transport="replay")
    assert fourth["totals"] == {"discovered": 1, "loaded": 0, "unchanged": 0, "skipped": 0,
                                "quarantined": 1, "failed_transient": 0}
    with _read(data_dir) as con:
        stage, error, sha = con.execute("SELECT stage, error, raw_sha256 FROM quarantine").fetchone()
        assert stage == "parse" and "debates2026-09-30a.xml: malformed XML" in error and sha == raw_sha
        assert con.execute("SELECT count(*) FROM passages").fetchone()[0] == n_passages
    assert RawArchive(data_dir / "archive").read(raw_sha).startswith(b"<publicwhip")  # bytes kept for a retry
