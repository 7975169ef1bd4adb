"""SIGKILL in the middle of a load, at random offsets, then a rerun: the warehouse must be identical,
by content checksum (documents, passages, labels, watermarks, annotations), to a clean build.

The slice: Hansard debates from 2026-05-01 in the sample archive, two documents per batch; kill
points are counted in loaded batches. A fork server (tests/faults/killable.py) runs each night in a
fresh child process; the test kills it with SIGKILL a random delay after a chosen event (a batch's
fetch, its transaction's start, its commit, or the snapshot's publish), then runs the next night to
completion and compares. The clean build is the real Prefect `nightly` flow.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import ROOT
from tests.faults.harness import assert_reconciles, scenario

pytestmark = pytest.mark.slow

KILL_START = date(2026, 5, 1)
KILL_POINTS = 22
SEED = 20261123
BATCH = 2  # documents per batch


@pytest.fixture(scope="module")
def fork_server():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.faults.killable"], cwd=ROOT, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert json.loads(proc.stdout.readline()) == {"ready": True}
    yield proc
    proc.stdin.close()
    proc.wait(timeout=30)


def _night(server, data_dir, origin_dir, kill=None) -> dict:
    request = {"data_dir": str(data_dir), "origin": str(origin_dir), "sources": ["hansard"], "batch": BATCH,
               "kill": kill}
    server.stdin.write(json.dumps(request) + "\n")
    server.stdin.flush()
    return json.loads(server.stdout.readline())


def kill_points(batches: int, n: int = KILL_POINTS, seed: int = SEED) -> list[dict]:
    """n kill points spread over the stages of a night, each at a random batch and delay."""
    rng = random.Random(seed)
    stages = ["fetch", "load", "load", "committed"] * 5 + ["publish"]
    points = []
    for i in range(n):
        event = stages[i % len(stages)] if i < len(stages) else rng.choice(stages)
        number = 1 if event == "publish" else rng.randint(1, batches)
        delay = rng.uniform(0, 0.004) if event == "publish" else rng.uniform(0, 0.03)
        points.append({"event": event, "n": number, "delay_s": round(delay, 4)})
    return points


def test_sigkill_at_random_points_then_rerun_is_identical_to_a_clean_build(
        tmp_path, origin, sample_archive, fork_server, monkeypatch, prefect_harness):
    from flows.nightly import nightly

    clean = scenario(tmp_path / "clean", origin, ["hansard"], start=KILL_START,
                     load_batch_documents=BATCH).install(monkeypatch)
    built = nightly()
    batches = -(-built["totals"]["discovered"] // BATCH)
    assert built["status"] == "completed" and batches >= 7
    reference, published = clean.checksum(), clean.checksum(published=True)
    assert reference == published and reference["passages"][0] > 100

    outcomes = []
    for i, point in enumerate(kill_points(batches)):
        night = scenario(tmp_path / f"kill-{i:02d}", origin, ["hansard"], start=KILL_START,
                         load_batch_documents=BATCH)
        killed = _night(fork_server, night.settings.data_dir, sample_archive, kill=point)
        assert killed["killed"], f"{point}: the child was not killed ({killed['returncode']}, {killed['events'][-3:]})"
        committed = sum(e.startswith("committed") for e in killed["events"])
        rerun = _night(fork_server, night.settings.data_dir, sample_archive)
        assert rerun["returncode"] == 0, rerun["events"][-3:]
        summary = rerun["summary"]
        assert summary["status"] == "completed" and summary["published"]
        with night.read() as con:
            assert_reconciles(con, summary["run_id"])
            statuses = dict(con.execute("SELECT run_id, status FROM runs").fetchall())
            assert "running" not in statuses.values()
            # a killed run is either marked interrupted, or it had finished its database work
            assert sum(s == "interrupted" for s in statuses.values()) <= 1
            loaded = con.execute("SELECT count(*) FROM run_items WHERE state = 'loaded'").fetchone()[0]
        assert loaded == built["totals"]["loaded"]  # each loaded exactly once across the killed run and the rerun
        assert night.checksum() == reference, point
        assert night.checksum(published=True) == reference, point
        leftovers = [p.name for p in night.settings.data_dir.rglob("*") if ".publishing-" in p.name
                     or ".seeding-" in p.name or p.suffix == ".unpublished"]
        assert not leftovers
        outcomes.append((point["event"], point["n"], committed))
    assert len(outcomes) >= 20
    assert {event for event, _, _ in outcomes} == {"fetch", "load", "committed", "publish"}
    print(f"\n{len(outcomes)} kill points (event, batch, batches committed before the kill): {outcomes}")
