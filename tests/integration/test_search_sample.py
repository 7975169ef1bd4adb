"""`whitehall search` on the sample warehouse: the passages that hold a phrase, ranked, in context."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def search(data, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WHITEHALL_")}
    env["WHITEHALL_DATA_DIR"] = str(data)
    out = subprocess.run([sys.executable, "-m", "whitehall.cli", "search", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_a_phrase_is_found_in_exactly_the_passages_that_hold_it(sample_data):
    con = duckdb.connect(str(sample_data / "whitehall.duckdb"), read_only=True)
    expected = {r[0] for r in con.execute(
        "SELECT passage_id FROM v_passages WHERE regexp_matches(text, '(?i)\\bdeep states?\\b')").fetchall()}
    rows = json.loads(search(sample_data, "deep state", "-k", "1000", "--format", "json"))
    assert expected and {r["passage_id"] for r in rows} == expected
    assert all(r["keyword"].lower() == "deep state" and r["url"] and r["speaker"] for r in rows)
    text = search(sample_data, "deep state", "-k", "3")
    assert text.startswith(f"{len(expected)} passages match 'deep state'")
    lines = text.splitlines()[1:]
    assert len(lines) == 6 and all(" deep state " in line.lower() for line in lines[0::2])
    assert all(re.search(r" · \d{4}-\d\d-\d\d · (debate|speech|committee_evidence|memoir_interview) · .*https://", line)
               for line in lines[1::2])


def test_filters_by_frame_date_and_speaker_match_the_warehouse(sample_data):
    con = duckdb.connect(str(sample_data / "whitehall.duckdb"), read_only=True)
    expected = {r[0] for r in con.execute(
        "SELECT passage_id FROM v_passages JOIN v_passage_labels USING (passage_id) WHERE blob AND date >= '2024-07-01'"
        " AND regexp_matches(text, '(?i)\\bwhitehall\\b')").fetchall()}
    rows = json.loads(search(sample_data, "whitehall", "--frame", "blob", "--from", "2024-07-01", "-k", "1000",
                             "--format", "json"))
    assert expected and {r["passage_id"] for r in rows} == expected
    speaker = rows[0]["speaker"]
    by_speaker = json.loads(search(sample_data, "whitehall", "--speaker", speaker, "-k", "1000", "--format", "json"))
    assert by_speaker and {r["speaker"] for r in by_speaker} == {speaker}
