"""Trends on the synthetic sample archive, labelled by its own truth (the bank oracle), through
the nightly flow: the documented blob step (2024-Q3) is detected, explicit vocabulary is first
used in 2026-Q3, and the contract views are complete and fast."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date

import duckdb
import pytest

from tests.unit.test_migrations import CONTRACT_COLUMNS

pytestmark = pytest.mark.slow


def _truth(archive) -> list[dict]:
    return [json.loads(line) for line in (archive / "truth.jsonl").read_text().splitlines()]


def test_the_oracle_reproduces_the_truth(oracle_warehouse):
    data, summary = oracle_warehouse
    truth = _truth(data / "archive")
    with duckdb.connect(str(data / "whitehall.duckdb"), read_only=True) as con:
        n, relevant, blob = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE relevant), count(*) FILTER (WHERE blob) FROM v_passage_labels"
        ).fetchone()
    assert summary["trend_quarters_refreshed"] > 40
    assert n == len(truth)
    assert relevant == sum(t["relevant"] for t in truth)
    assert blob == sum("blob" in t["frames"] for t in truth)


def test_contract_views_are_complete_and_read_fast(oracle_warehouse):
    data, _ = oracle_warehouse
    truth = _truth(data / "archive")
    quarters = sorted({f"{t['date'][:4]}-Q{(int(t['date'][5:7]) - 1) // 3 + 1}" for t in truth})
    with duckdb.connect(str(data / "whitehall.duckdb"), read_only=True) as con:
        for view, columns in CONTRACT_COLUMNS.items():
            assert [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()] == columns
        started = time.monotonic()
        rows = con.execute("SELECT quarter, frame, source_type, n_relevant, share, ci_low, ci_high, low_n "
                           "FROM trend_frame_quarterly").fetchall()
        for view in ("trend_frame_quarterly_by_role", "trend_frame_quarterly_by_party", "trend_changes",
                     "speaker_adoption"):
            con.execute(f"SELECT * FROM {view}").fetchall()
        assert time.monotonic() - started < 1.0
        source_types = {r[2] for r in rows}
    assert {"all", "debate", "speech", "memoir_interview"} <= source_types
    per_cell = Counter((r[0], r[2]) for r in rows)
    assert set(q for q, _ in per_cell) == set(quarters)           # every quarter, empty or not
    assert set(per_cell.values()) == {8}                          # 7 frames + explicit per cell
    for quarter, frame, source_type, n_relevant, share, low, high, low_n in rows:
        assert low_n == (n_relevant < 30)
        if n_relevant == 0:
            assert share is None
        else:
            assert 0 <= low <= share <= high <= 1


def test_blob_step_is_detected_and_the_trend_follows_the_truth(oracle_warehouse):
    data, _ = oracle_warehouse
    with duckdb.connect(str(data / "whitehall.duckdb"), read_only=True) as con:
        changes = con.execute("SELECT quarter, direction, magnitude, score FROM trend_changes "
                              "WHERE frame = 'blob' AND source_type = 'all'").fetchall()
        before, after = con.execute(
            "SELECT avg(share) FILTER (WHERE quarter BETWEEN '2021-Q1' AND '2024-Q2'),"
            " avg(share) FILTER (WHERE quarter >= '2024-Q3') FROM trend_frame_quarterly"
            " WHERE frame = 'blob' AND source_type = 'all'").fetchone()
    steps = [c for c in changes if c[1] == "down" and c[0] in ("2024-Q2", "2024-Q3", "2024-Q4")]
    assert steps, changes
    assert steps[0][0] == "2024-Q3" and 0.12 < steps[0][2] < 0.30
    assert 0.27 < before < 0.37 and 0.07 < after < 0.17       # the schedule: 0.32, then 0.12


def test_explicit_vocabulary_first_used_in_2026_q3(oracle_warehouse):
    data, _ = oracle_warehouse
    truth = _truth(data / "archive")
    with duckdb.connect(str(data / "whitehall.duckdb"), read_only=True) as con:
        adoption = con.execute("SELECT speaker_id, speaker, first_explicit_use, trait_share_before,"
                               " trait_share_after FROM speaker_adoption").fetchall()
        curve = con.execute("SELECT quarter, n_adopted, share_adopted FROM trend_diffusion_quarterly"
                            " WHERE dimension = 'all' ORDER BY quarter").fetchall()
    first_truth = min(t["date"] for t in truth if t["explicit"])
    assert adoption and min(a[2] for a in adoption).isoformat() == first_truth
    assert all(date(2026, 7, 1) <= a[2] <= date(2026, 9, 30) for a in adoption)
    assert all(a[4] is not None and a[4] > 0 for a in adoption)   # explicit use names a trait
    assert [q for q, n, _ in curve if n > 0] == ["2026-Q3"]
    assert 0 < curve[-1][2] <= 1
