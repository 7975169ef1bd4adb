"""Two nightly runs at once: the second exits with a clear message (or waits its turn), and never
interleaves writes. Also: the fetching threads of one run share the raw archive safely."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from typer.testing import CliRunner

from classifiers.keywords import KeywordClassifier
from classifiers.registry import LoadedClassifier
from extractors.archive import RawArchive
from tests.faults.harness import assert_reconciles, scenario
from warehouse.publish import WarehouseBusyError, WriteLock

pytestmark = pytest.mark.slow

START = date(2026, 7, 1)


class _Paused(KeywordClassifier):
    """Holds the first run inside its first batch until the test lets it go."""

    def __init__(self, entered: threading.Event, gate: threading.Event) -> None:
        super().__init__()
        self.entered, self.gate = entered, gate

    def predict(self, items):
        self.entered.set()
        assert self.gate.wait(60)
        return super().predict(items)


def _two_runs(tmp_path, origin, monkeypatch, lock_wait_s: float):
    from flows.nightly import nightly

    night = scenario(tmp_path, origin, ["hansard"], start=START, lock_wait_s=lock_wait_s).install(monkeypatch)
    entered, gate = threading.Event(), threading.Event()
    calls = []

    def build(cls, settings):
        runtime = night.runtime()
        if not calls:
            classifier = _Paused(entered, gate)
            runtime._model = LoadedClassifier(classifier, "keywords", {"model_version": classifier.model_version})
        calls.append(runtime)
        return runtime

    from flows import runtime as runtime_module
    monkeypatch.setattr(runtime_module.Runtime, "build", classmethod(build))
    results: dict[str, object] = {}
    first = threading.Thread(target=lambda: results.setdefault("first", nightly()))
    first.start()
    assert entered.wait(60)
    return night, first, gate, results, nightly


def test_second_run_exits_with_a_clear_message_and_writes_nothing(tmp_path, origin, monkeypatch, prefect_harness):
    night, first, gate, results, nightly = _two_runs(tmp_path, origin, monkeypatch, lock_wait_s=0)
    try:
        with pytest.raises(WarehouseBusyError, match=r"being written by pid \d+ .*exits without writing"):
            nightly()
    finally:
        gate.set()
        first.join(60)
    summary = results["first"]
    assert summary["status"] == "completed" and summary["totals"]["loaded"] > 0
    with night.read() as con:
        runs = con.execute("SELECT run_id, status FROM runs").fetchall()
        assert runs == [(summary["run_id"], "completed")]  # the second never began a run
        assert_reconciles(con, summary["run_id"])


def test_second_run_waits_for_the_lock_when_told_to(tmp_path, origin, monkeypatch, prefect_harness):
    night, first, gate, results, nightly = _two_runs(tmp_path, origin, monkeypatch, lock_wait_s=60)
    releaser = threading.Timer(1.0, gate.set)
    releaser.start()
    second = nightly()  # blocks on the lock until the first finishes
    first.join(60)
    assert results["first"]["totals"]["loaded"] > 0
    assert second["totals"]["discovered"] == 0  # it began after the first committed everything
    with night.read() as con:
        (first_end,), (second_start,) = con.execute(
            "SELECT finished_at FROM runs WHERE run_id = ?", [results["first"]["run_id"]]).fetchall(), \
            con.execute("SELECT started_at FROM runs WHERE run_id = ?", [second["run_id"]]).fetchall()
        assert second_start >= first_end


def test_cli_reports_a_busy_warehouse_with_exit_code_75(tmp_path, monkeypatch, prefect_harness):
    from whitehall.cli import app

    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WHITEHALL_SOURCES", '["hansard"]')
    with WriteLock(tmp_path / "data" / "whitehall.duckdb"):
        result = CliRunner().invoke(app, ["run", "nightly", "--transport", "replay"])
    assert result.exit_code == 75
    assert "is being written by pid" in result.output and "Try again when it finishes" in result.output


def test_fetching_threads_record_into_one_archive_safely(tmp_path):
    archive = RawArchive(tmp_path / "archive")
    errors = []

    def record(worker: int) -> None:
        try:
            for i in range(40):
                archive.record(f"https://example.org/{worker}/{i}", f"{worker}-{i}".encode(), source="test")
                assert archive.latest(f"https://example.org/{worker}/{i}") is not None
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=record, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(archive) == 320
