"""The annotation loop end to end: two people annotate through the real CLI on a pseudo-terminal
with scripted key presses; `whitehall agreement` then prints Krippendorff's alpha, and the answers
are in the published snapshot as reconciled training data."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from classifiers.agreement import alpha_table
from classifiers.codebook import CODEBOOK_VERSION
from classifiers.labelled import load_written
from classifiers.model_card import render
from classifiers.train import TrainConfig, train
from tests.conftest import ROOT
from tests.pty_session import PtySession
from tests.small_warehouse import build
from warehouse.annotation_results import latest_answers, reconciled_annotations

pytestmark = pytest.mark.slow
EMPTY = "answer: relevant=no frames=- explicit=no"
FLAGS = ["--limit", "4", "--overlap", "1", "--overlap-annotators", "2", "--gold-per-quarter", "2"]


@pytest.fixture
def env(tmp_path):
    build(tmp_path / "data" / "whitehall.duckdb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WHITEHALL_")}
    env.update({"WHITEHALL_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color", "COLUMNS": "160"})
    return env


def annotate(env, annotator: str) -> PtySession:
    return PtySession([sys.executable, "-m", "whitehall.cli", "annotate", "--annotator", annotator, *FLAGS],
                      env=env, cwd=ROOT)


def test_two_annotators_then_agreement(env, tmp_path):
    db = tmp_path / "data" / "whitehall.duckdb"
    alice = annotate(env, "alice")
    try:
        alice.expect(EMPTY)
        alice.send("r")
        alice.expect("answer: relevant=yes frames=- explicit=no")
        alice.send("1")
        alice.expect("answer: relevant=yes frames=blob explicit=no")
        alice.send("\r")
        alice.expect("saved (1 this session)")
        alice.expect(EMPTY)
        alice.send("4")  # a frame implies relevance
        alice.expect("answer: relevant=yes frames=delivery explicit=no")
        alice.send("e")
        alice.expect("answer: relevant=yes frames=delivery explicit=yes")
        alice.send("\r")
        alice.expect("saved (2 this session)")
        screen = alice.expect(EMPTY)
        alice.send("n")  # skip this one: it stays in the queue
        skipped_screen = alice.expect(EMPTY)
        alice.send("\r")  # not relevant
        alice.expect("saved (3 this session)")
        alice.expect(EMPTY)
        alice.send("m")  # take the model's suggestion
        alice.expect("answer: ")
        alice.send("\r")
        alice.expect("saved (4 this session)")
        alice.expect("published a new snapshot")
        assert alice.wait() == 0
    finally:
        alice.close()
    assert "model suggestion (keywords-1+ifg-2026.1)" in screen and "context (before)" in screen + skipped_screen

    bob = annotate(env, "bob")
    try:
        first = bob.expect(EMPTY)
        assert "repeat: 1 before you" in first
        bob.send("1\r")  # agrees with alice on the first
        bob.expect("saved (1 this session)")
        for n in (2, 3, 4):  # not relevant on the rest
            bob.expect(EMPTY)
            bob.send("\r")
            bob.expect(f"saved ({n} this session)")
        bob.expect("published a new snapshot")
        assert bob.wait() == 0
    finally:
        bob.close()

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT annotator, relevant, frames, explicit_trait_vocabulary, stream, sample_design,"
                       " p_inclusion, codebook_version FROM annotations ORDER BY annotation_id").fetchall()
    assert [r[0] for r in rows] == ["alice"] * 4 + ["bob"] * 4
    assert rows[0][1:4] == (True, ["blob"], False) and rows[1][1:4] == (True, ["delivery"], True)
    assert rows[2][1:4] == (False, [], False)
    assert {r[4] for r in rows[:4]} <= {"gold", "active"} and {r[4] for r in rows[4:]} == {"overlap"}
    assert all((r[6] is not None) == r[5].startswith("gold:") for r in rows)
    assert [r[5] for r in rows[4:]] == [r[5] for r in rows[:4]]  # repeats keep the item's design
    assert {r[7] for r in rows} == {CODEBOOK_VERSION}
    fourth_pid = con.execute("SELECT passage_id FROM annotations WHERE annotator = 'alice'"
                             " ORDER BY annotation_id").fetchall()[3][0]
    model_says = {r[0] for r in con.execute("SELECT label FROM v_passage_evidence WHERE passage_id = ?",
                                            [fourth_pid]).fetchall()}
    assert rows[3][1:4] == ("relevant" in model_says, sorted(model_says - {"relevant", "explicit_trait_vocabulary"}),
                            "explicit_trait_vocabulary" in model_says)
    assert con.execute("SELECT count(*) FROM annotated_texts").fetchone()[0] == 4

    out = subprocess.run([sys.executable, "-m", "whitehall.cli", "agreement"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "8 answers by 2 annotators (alice, bob); 4 passages, 4 coded by two or more" in out.stdout
    assert "Krippendorff's α per label" in out.stdout and "α per annotator pair" in out.stdout
    expected = alpha_table(latest_answers(con))
    report = json.loads(subprocess.run([sys.executable, "-m", "whitehall.cli", "agreement", "--format", "json"],
                                       env=env, cwd=ROOT, capture_output=True, text=True, timeout=120).stdout)
    for label, row in expected.items():
        assert report["labels"][label]["alpha"] == row["alpha"]
        shown = "—" if row["alpha"] is None else f"{row['alpha']:.3f}"
        assert any(line.split("│")[1:3] and line.split("│")[1].strip() == label and line.split("│")[2].strip() == shown
                   for line in out.stdout.splitlines() if "│" in line), label
    assert report["labels"]["relevant"]["alpha"] is not None
    assert set(report["pairs"]) == {"alice × bob"}

    learned = reconciled_annotations(con, include_gold=True)
    assert set(learned.origin) == {"annotation"} and 1 <= len(learned) <= 4
    first_pid = con.execute("SELECT passage_id FROM annotations ORDER BY annotation_id LIMIT 1").fetchall()[0][0]
    unit = [m["passage_id"] for m in learned.meta].index(first_pid)
    assert learned.meta[unit]["annotators"] == ["alice", "bob"]
    assert list(learned.y[unit][:3]) == [1, 1, 0]  # both said relevant and blob on the first item

    # Retrain (frozen encoder, a slice of the written set) with the annotations: the card lists them.
    written = load_written()
    card = train(None, tmp_path / "model", TrainConfig(fine_tune=False),
                 data=written.subset([i % 8 == 0 for i in range(len(written))]), extra=learned,
                 log=lambda _: None, cache_path=tmp_path / "cache.sqlite")
    listed = card["training_data"]["annotations"]
    assert listed["count"] == len(learned) and listed["annotators"] == ["alice", "bob"]
    assert {u["passage_id"] for u in listed["units"]} == {m["passage_id"] for m in learned.meta}
    assert f"`{first_pid}`" in render(card, [])
