"""`whitehall import` end to end: 1,000 generated passages round-trip into every view, a second
import adds nothing, and malformed lines are quarantined with their line numbers."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import duckdb
import pytest
from typer.testing import CliRunner

from extractors.passage import clean_text
from extractors.vocab import ROLES, SOURCE_TYPES
from sample_archive.compose import compose_irrelevant, compose_relevant
from sample_archive.schedule import frame_shares
from whitehall.cli import app

pytestmark = pytest.mark.slow
BAD = {  # line number -> (the line, what the quarantine must say)
    5: ("{\"id\": \"x\", \"text\": ", "not valid JSON"),
    260: (json.dumps({"id": "no-date", "text": "Officials."}), "missing required field date"),
    511: (json.dumps({"id": "r", "text": "Officials.", "date": "2024-01-01", "role": "king"}), "role 'king'"),
    777: (json.dumps({"id": "g-3", "text": "Officials.", "date": "2024-01-01"}), "duplicate id 'g-3'"),
}


def generated(n: int = 1000, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = date(2020, 1, 1) + timedelta(days=rng.randrange(1800))
        composed = (compose_relevant(rng, frame_shares(day.year, (day.month - 1) // 3 + 1)) if rng.random() < 0.5
                    else compose_irrelevant(rng))
        record = {"id": f"g-{i}", "text": composed.text, "date": day.isoformat()}
        if rng.random() < 0.7:
            record.update(source_type=rng.choice(SOURCE_TYPES), speaker=f"Researcher Speaker {i % 40}",
                          role=rng.choice(ROLES), party=rng.choice(["Labour", "Conservative", None]),
                          context="The previous sentence.", url=f"https://example.org/g-{i}")
        out.append(record)
    return out


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WHITEHALL_BASELINE", "true")
    monkeypatch.delenv("WHITEHALL_DB", raising=False)
    monkeypatch.delenv("WHITEHALL_ARCHIVE_DIR", raising=False)
    records = generated()
    lines = [json.dumps(r) for r in records]
    for number in sorted(BAD):
        lines.insert(number - 1, BAD[number][0])
    path = tmp_path / "passages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, records


def test_import_round_trips_and_a_second_import_adds_nothing(corpus, prefect_harness, tmp_path):
    path, records = corpus
    runner = CliRunner()
    first = runner.invoke(app, ["import", str(path), "--name", "study"])
    assert first.exit_code == 0, first.output
    for number, (_, reason) in BAD.items():
        assert f"line {number}: " in first.output and reason in first.output
    db = tmp_path / "data" / "whitehall.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        run = con.execute("SELECT flow, discovered, loaded, unchanged, quarantined, passages_loaded FROM runs").fetchone()
        assert run == ("import", 1004, 1000, 0, 4, 1000)
        stored = {r[0]: r[1:] for r in con.execute(
            "SELECT d.item_id, p.source, p.source_type, p.date, p.speaker, p.role, p.party, p.url, p.text, p.context"
            " FROM passages AS p JOIN documents AS d USING (document_id)").fetchall()}
        assert len(stored) == 1000
        for r in records:
            assert stored[r["id"]] == ("import:study", r.get("source_type", "debate"), date.fromisoformat(r["date"]),
                                       r.get("speaker"), r.get("role", "unknown"), r.get("party"), r.get("url"),
                                       clean_text(r["text"]), r.get("context", ""))
        assert con.execute("SELECT count(*) FROM v_passage_labels").fetchone()[0] == 1000
        quarantine = con.execute("SELECT item_id, stage, error FROM quarantine ORDER BY quarantine_id").fetchall()
        assert [(q[0], q[1]) for q in quarantine] == [(f"line:{n}", "validate") for n in sorted(BAD)]
        assert all(q[2].startswith(f"line {q[0][5:]}: ") for q in quarantine)
        per_type = dict(con.execute("SELECT source_type, sum(n_passages) FROM trend_frame_quarterly"
                                    " WHERE frame = 'blob' GROUP BY 1").fetchall())
        assert per_type["all"] == 1000 and sum(v for k, v in per_type.items() if k != "all") == 1000
        quarters = {r["date"][:4] + "-Q" + str((int(r["date"][5:7]) - 1) // 3 + 1) for r in records}
        assert {q for (q,) in con.execute("SELECT DISTINCT quarter FROM trend_frame_quarterly").fetchall()} == quarters

    second = runner.invoke(app, ["import", str(path), "--name", "study"])
    assert second.exit_code == 0, second.output
    with duckdb.connect(str(db), read_only=True) as con:
        run = con.execute("SELECT discovered, loaded, unchanged, quarantined, passages_loaded FROM runs"
                          " ORDER BY run_id DESC LIMIT 1").fetchone()
        assert run == (1004, 0, 1000, 4, 0)
        assert con.execute("SELECT count(*) FROM passages").fetchone()[0] == 1000
        assert con.execute("SELECT count(*) FROM quarantine WHERE resolved_at IS NULL").fetchone()[0] == 4


def test_a_file_with_no_good_line_fails_the_command(tmp_path, monkeypatch, prefect_harness):
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WHITEHALL_BASELINE", "true")
    path = tmp_path / "bad.jsonl"
    path.write_text("nonsense\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 1 and "line 1: not valid JSON" in result.output
