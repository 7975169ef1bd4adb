"""`whitehall classify`: the CONTRACTS.md input and output shapes, per-line errors, exit codes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from classifiers.codebook import FRAMES
from whitehall.cli import app

runner = CliRunner()


def run(tmp_path, lines: list[str]):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["classify", str(src), "-o", str(out), "--baseline"])
    records = [json.loads(l) for l in out.read_text().splitlines()] if out.exists() else []
    return result, records


def test_one_output_per_input_line_in_order_with_all_fields(tmp_path):
    lines = [json.dumps({"id": "a", "text": "The civil service blob resists reform.", "context": "Earlier."}),
             json.dumps({"text": "Potholes on the A66.", "speaker": "ignored"}),
             json.dumps({"id": 7, "text": "Officials gave frank advice to ministers."})]
    result, records = run(tmp_path, lines)
    assert result.exit_code == 0
    assert [r["id"] for r in records] == ["a", 2, 7]  # a line without an id gets its line number
    first = records[0]
    assert set(first) == {"id", "relevant", "p_relevant", "frames", "labels", "explicit_trait_vocabulary",
                          "evidence", "model_version", "codebook_version"}
    assert set(first["frames"]) == set(FRAMES) and first["relevant"] and "blob" in first["labels"]
    assert set(first["evidence"]) >= set(first["labels"])
    assert records[1]["labels"] == [] and records[1]["explicit_trait_vocabulary"] is False


def test_bad_lines_give_error_objects_and_the_run_goes_on(tmp_path):
    lines = ['{"id": "x", "text": ""}', "not json", '{"id": "ok", "text": "Whitehall officials."}', "[1, 2]"]
    result, records = run(tmp_path, lines)
    assert result.exit_code == 0
    assert records[0] == {"id": "x", "line": 1, "error": "missing or empty `text`"}
    assert records[1]["id"] == 2 and records[1]["line"] == 2 and "not valid JSON" in records[1]["error"]
    assert records[2]["id"] == "ok" and "relevant" in records[2]
    assert records[3]["error"] == "each line must be a JSON object"


def test_exit_non_zero_only_when_no_line_could_be_read(tmp_path):
    result, records = run(tmp_path, ["garbage", "{also garbage"])
    assert result.exit_code == 1 and len(records) == 2 and all("error" in r for r in records)
