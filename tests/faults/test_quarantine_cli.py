"""`whitehall quarantine list|show|retry`, `whitehall status`, and the run artifact: an operator sees
why an item failed (safely: errors quote hostile input), retries it once fixed, and every run's
counts reconcile per source; a run whose counts do not reconcile fails loudly."""

from __future__ import annotations

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from tests.faults import payloads
from tests.faults.harness import Fault, assert_reconciles, scenario
from warehouse.ledger import ReconciliationError, RunLedger

pytestmark = pytest.mark.slow

START = date(2026, 7, 1)
MALFORMED, LOOP = "debates/debates2026-07-07a.xml", "debates/debates2026-07-14a.xml"
HOSTILE = "\x1b[2J\x1b]0;owned\x07[bold red]PWNED[/bold red] \x9b31m"


@pytest.fixture
def night(tmp_path, origin, monkeypatch, prefect_harness):
    from flows.nightly import nightly

    night = scenario(tmp_path, origin, ["hansard"], start=START,
                     faults=[Fault(f"/{MALFORMED}", "body", payloads.malformed_xml),
                             Fault(f"/{LOOP}", "redirect_loop")]).install(monkeypatch)
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(night.settings.data_dir))
    night.first = nightly()
    return night


def _cli(*args: str):
    from whitehall.cli import app

    return CliRunner().invoke(app, list(args))


def test_list_show_and_retry(night):
    assert night.first["totals"]["quarantined"] == 2
    listed = _cli("quarantine", "list")
    assert listed.exit_code == 0
    assert MALFORMED in listed.output and LOOP in listed.output and "malformed XML" in listed.output
    with night.read() as con:
        ids = dict(con.execute("SELECT item_id, quarantine_id FROM quarantine").fetchall())

    shown = _cli("quarantine", "show", str(ids[MALFORMED]))
    assert shown.exit_code == 0
    assert "stage: parse" in shown.output and "Opening and ending tag mismatch" in shown.output
    assert re.search(r"raw bytes: \d+ bytes; first 300: b'<publicwhip", shown.output)
    assert f"run {night.first['run_id']} (nightly" in shown.output and "quarantined" in shown.output
    assert "(none kept" in _cli("quarantine", "show", str(ids[LOOP])).output  # failed before any bytes came

    again = _cli("quarantine", "retry", str(ids[MALFORMED]))  # the same bytes: still broken
    assert again.exit_code == 0 and f"{ids[MALFORMED]}: still quarantined" in again.output
    night.transport.active = False  # the source is fixed
    fixed = _cli("quarantine", "retry", "--all", "--refetch")
    assert fixed.exit_code == 0
    assert f"{ids[MALFORMED]}: loaded: resolved" in fixed.output and f"{ids[LOOP]}: loaded: resolved" in fixed.output
    assert "Quarantine: 0 open items" in _cli("quarantine", "list").output
    assert MALFORMED in _cli("quarantine", "list", "--all").output
    with night.read() as con:
        attempts, resolved = con.execute("SELECT attempts, resolved_run FROM quarantine WHERE item_id = ?",
                                         [MALFORMED]).fetchone()
        assert attempts == 2 and resolved is not None
        for (run_id,) in con.execute("SELECT run_id FROM runs").fetchall():
            assert_reconciles(con, run_id)
    assert _cli("quarantine", "retry").exit_code == 2  # say which


def test_hostile_text_in_errors_cannot_drive_the_terminal(night):
    import duckdb

    from warehouse.publish import work_path

    with duckdb.connect(str(work_path(night.db))) as con:
        con.execute("UPDATE quarantine SET error = ?, item_id = ? WHERE item_id = ?",
                    [f"schema {HOSTILE!r} is not the speech schema: {HOSTILE}", f"evil{HOSTILE}", LOOP])
        (evil,) = con.execute("SELECT quarantine_id FROM quarantine WHERE item_id LIKE 'evil%'").fetchone()
    for args in (("quarantine", "list"), ("quarantine", "show", str(evil))):
        output = _cli(*args).output
        assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output
    assert "[bold red]PWNED[/bold red]" in output  # shown literally, never as markup
    assert "\\x1b[2J" in output


def test_status_shows_every_state_per_source_and_that_it_reconciles(night):
    output = _cli("status").output
    assert f"Run {night.first['run_id']} by source" in output
    row = next(line for line in output.splitlines() if line.strip("│ ").startswith("hansard"))
    cells = [c.strip() for c in row.strip("│").split("│")]
    counts = night.first["by_source"]["hansard"]
    assert cells == ["hansard", "ok", str(counts["discovered"]), *(str(counts[s]) for s in (
        "loaded", "unchanged", "skipped", "quarantined", "failed_transient")), "yes"]
    assert "quarantine (unresolved): hansard/" in output
    assert "hansard/fetch: 1" in output and "hansard/parse: 1" in output


def test_the_run_artifact_reconciles_per_source(night):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["nightly-run-counts"])))
    latest = max(artifacts, key=lambda a: a.created)
    rows = latest.data if isinstance(latest.data, list) else __import__("json").loads(latest.data)
    by_source = {r["source"]: r for r in rows}
    assert by_source["hansard"]["discovered"] == night.first["by_source"]["hansard"]["discovered"]
    assert all(r["reconciles"] for r in rows) and by_source["all"]["quarantined"] == 2


def test_a_run_that_does_not_reconcile_fails_loudly(tmp_path, origin, monkeypatch, prefect_harness):
    from flows.nightly import nightly

    night = scenario(tmp_path, origin, ["hansard"], start=START).install(monkeypatch)
    real = RunLedger.settle

    def lose_one(self, record):  # a bug that drops an item on the floor
        if record.item_id != "debates/debates2026-09-08a.xml":
            real(self, record)

    monkeypatch.setattr(RunLedger, "settle", lose_one)
    with pytest.raises(ReconciliationError, match=r"source hansard: discovered (\d+) but (\d+) settled"):
        nightly()
    with night.read() as con:
        status, error = con.execute("SELECT status, error FROM runs").fetchone()
    assert status == "failed" and "ReconciliationError" in error
    assert not night.db.exists()  # never published
