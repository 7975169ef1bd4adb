"""`whitehall import` with injection attempts in every field: SQL, markup, terminal escapes,
spreadsheet formulas, template syntax, path traversal and hostile URLs. Free text is stored
verbatim (parameterised SQL; control characters removed), closed fields are refused line by
line with a reason, and nothing outside the import's own rows changes."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from extractors.passage import clean_text
from whitehall.cli import app

pytestmark = pytest.mark.slow

SQL = "x'); DROP TABLE passages; --"
FREE_TEXT = {  # fields stored as given: each carries a different attack
    "id": SQL,
    "text": "Officials advised. \"; DELETE FROM labels; -- <script>alert(1)</script>\x1b[2J\x00 {{7*7}} ${jndi:ldap://e}",
    "speaker": "Robert'); DROP TABLE documents;--",
    "party": "=HYPERLINK(\"http://evil.example\",\"x\")",
    "context": "<img src=x onerror=alert(1)> ../../etc/passwd \x07",
    "url": "https://example.org/a?q=1'%20OR%20'1'='1",
}
REFUSED = {  # closed fields: the line is quarantined, naming the field
    "date": ("2024-01-01'; DROP TABLE runs; --", "is not an ISO date"),
    "role": ("minister' OR '1'='1", "role"),
    "source_type": ("debate; DROP TABLE labels", "source_type"),
    "url": ("javascript:alert(document.cookie)", "is not an http(s) URL"),
    "id": ("../../etc/passwd\x00", "id must be"),
}


def line(**overrides) -> str:
    record = {"id": "ok", "text": "The permanent secretary gave clear advice.", "date": "2024-02-01"}
    record.update(overrides)
    return json.dumps(record)


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WHITEHALL_BASELINE", "true")
    monkeypatch.delenv("WHITEHALL_DB", raising=False)
    return tmp_path / "data" / "whitehall.duckdb"


def test_injection_in_every_field_is_stored_inert_or_refused(warehouse, prefect_harness, tmp_path):
    lines = [line(**FREE_TEXT, date="2024-02-01")]
    lines += [line(id=f"bad-{field}", **{field: value}) for field, (value, _) in REFUSED.items() if field != "id"]
    lines.append(line(id=REFUSED["id"][0]))
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["import", str(path), "--name", "hostile"])
    assert result.exit_code == 0, result.output
    assert "\x1b[2J" not in result.output and "\x00" not in result.output
    for number, (field, (_, reason)) in enumerate(REFUSED.items(), start=2):
        assert reason in result.output, field

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert {"passages", "documents", "labels", "runs", "quarantine"} <= tables
        stored = con.execute("SELECT d.item_id, p.text, p.speaker, p.party, p.context, p.url, p.source"
                             " FROM passages AS p JOIN documents AS d USING (document_id)").fetchall()
        assert stored == [(FREE_TEXT["id"], clean_text(FREE_TEXT["text"]), FREE_TEXT["speaker"], FREE_TEXT["party"],
                           clean_text(FREE_TEXT["context"]), FREE_TEXT["url"], "import:hostile")]
        assert "\x00" not in stored[0][1] and "\x1b" not in stored[0][1] and "<script>" in stored[0][1]
        assert con.execute("SELECT count(*) FROM labels").fetchone()[0] > 0
        errors = [r[0] for r in con.execute("SELECT error FROM quarantine ORDER BY quarantine_id").fetchall()]
        assert len(errors) == len(REFUSED)
        assert all(reason in error for (_, reason), error in zip(REFUSED.values(), errors))
        assert con.execute("SELECT flow, loaded, quarantined FROM runs").fetchall() == [("import", 1, len(REFUSED))]


@pytest.mark.parametrize("name", ["x; rm -rf /", "../../etc", "a'b", "UPPER", ""])
def test_a_hostile_import_name_is_refused_before_anything_runs(warehouse, tmp_path, name):
    path = tmp_path / "one.jsonl"
    path.write_text(line() + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path), "--name", name])
    assert result.exit_code != 0 and "import name" in result.output
    assert not warehouse.exists()
