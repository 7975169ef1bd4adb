"""A researcher's open read-only connection survives a nightly run in another process, and keeps its
snapshot; the run is not blocked by it. A run with nothing new publishes nothing and leaves the search
index alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from warehouse import connect

pytestmark = pytest.mark.slow


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def env(tmp_path, sample_archive):
    shutil.copytree(sample_archive, tmp_path / "data" / "archive")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHITEHALL_", "PREFECT_"))}
    env.update({"WHITEHALL_DATA_DIR": str(tmp_path / "data"), "WHITEHALL_BASELINE": "true",
                "PREFECT_HOME": str(tmp_path / "prefect"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"})
    return env


def nightly(env, *args) -> list[str]:
    return [sys.executable, "-m", "whitehall.cli", "run", "nightly", "--transport", "replay", *args]


def test_a_reader_keeps_its_snapshot_through_a_nightly_run_in_another_process(env, tmp_path):
    db = tmp_path / "data" / "whitehall.duckdb"
    first = subprocess.run(nightly(env, "--since", "2016-01-01", "--source", "hansard_wms"), env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0 and "published a new snapshot" in first.stdout, first.stdout + first.stderr

    reader = connect(db)  # a researcher's session, open before the run starts
    snapshot = reader.execute("SELECT count(*), sum(length(text)), count(DISTINCT source) FROM v_passages").fetchone()
    assert snapshot[2] == 1
    published_inode = db.stat().st_ino

    run = subprocess.Popen(nightly(env, "--since", "2016-01-01", "--source", "govuk"), env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    during = 0
    while run.poll() is None:
        row = reader.execute("SELECT count(*), sum(length(text)), count(DISTINCT source) FROM v_passages"
                             " JOIN v_passage_labels USING (passage_id)").fetchone()
        assert row == snapshot
        during += 1
        time.sleep(0.05)
    output = run.stdout.read()
    assert run.returncode == 0, output
    assert during > 10, "the reader did not query while the run was going"
    assert "published a new snapshot" in output
    assert db.stat().st_ino != published_inode  # replaced while the reader had it open

    # the open reader still reads its own snapshot, every page of it
    assert reader.execute("SELECT count(*), sum(length(text)), count(DISTINCT source) FROM v_passages").fetchone() == snapshot
    fresh = connect(db).execute("SELECT count(*), count(DISTINCT source) FROM v_passages").fetchone()
    assert fresh[0] > snapshot[0] and fresh[1] == 2
    reader.close()

    stat = db.stat()
    index_files = _files(tmp_path / "data" / "search")
    noop = subprocess.run(nightly(env, "--source", "govuk"), env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert noop.returncode == 0 and "nothing new to publish" in noop.stdout, noop.stdout + noop.stderr
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert _files(tmp_path / "data" / "search") == index_files
