"""A superseded file that arrives before its predecessor: the newer version stays, whichever way the
older one reaches the pipeline (the listing, or the loader's version check)."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.http import canonical_url
from extractors.parlparse import BASE_URL
from tests.faults.harness import Fault, assert_reconciles, items_by_state, scenario

pytestmark = pytest.mark.slow

OLD, NEW = "debates2026-06-23a.xml", "debates2026-06-23b.xml"
LISTING = "/debates/changedates.txt"


def _rows(data: bytes, drop: tuple[str, ...], late: list[tuple[int, str]] = ()) -> bytes:
    rows = [line for line in data.decode().splitlines() if line and line.split(",", 1)[1] not in drop]
    return "\n".join(rows + [f"{stamp},{name}" for stamp, name in late]).encode() + b"\n"


def test_the_newer_version_stays_when_the_older_arrives_later(tmp_path, origin, monkeypatch, prefect_harness):
    from flows.nightly import nightly

    night = scenario(tmp_path, origin, ["hansard"], start=date(2026, 6, 1)).install(monkeypatch)
    listing = origin.read(origin.latest(canonical_url(f"{BASE_URL}{LISTING}")).sha256)
    last = max(int(line.split(",")[0]) for line in listing.decode().splitlines() if line)

    night.transport.faults = [Fault(LISTING, "body", lambda data: _rows(data, (OLD,)))]  # b is listed first
    first = nightly()
    with night.read() as con:
        assert items_by_state(con, first["run_id"])[f"debates/{NEW}"][0] == "loaded"
        stored = con.execute("SELECT version, content_hash FROM documents WHERE document_id ="
                             " 'hansard:debates/2026-06-23'").fetchone()
        assert stored[0].strip() == "b"

    # a arrives later in the same listing: the listing says b is the latest, so a is superseded
    night.transport.faults = [Fault(LISTING, "body", lambda data: _rows(data, (OLD,), [(last + 100, OLD)]))]
    second = nightly()
    with night.read() as con:
        assert_reconciles(con, second["run_id"])
        assert items_by_state(con, second["run_id"]) == {f"debates/{OLD}": ("skipped", "superseded", None)}

    # a arrives alone (a listing that lost b), as a full sitting: the loader keeps the higher version
    newer = origin.read(origin.latest(canonical_url(f"{BASE_URL}/debates/{NEW}")).sha256)
    older = newer.replace(b" (Corrected.)", b"", 1)
    assert older != newer
    night.transport.faults = [Fault(LISTING, "body", lambda data: _rows(data, (OLD, NEW), [(last + 200, OLD)])),
                              Fault(f"/debates/{OLD}", "body", older)]
    third = nightly()
    with night.read() as con:
        assert_reconciles(con, third["run_id"])
        state, reason, _ = items_by_state(con, third["run_id"])[f"debates/{OLD}"]
        assert (state, reason) == ("skipped", "superseded")
        assert con.execute("SELECT version, content_hash FROM documents WHERE document_id ="
                           " 'hansard:debates/2026-06-23'").fetchone() == stored
        assert con.execute("SELECT count(*) FROM passages WHERE text LIKE '%(Corrected.)%'").fetchone()[0] == 1
