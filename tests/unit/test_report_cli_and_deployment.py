"""`whitehall report` fails clearly without data or with a malformed quarter; the quarterly-report
deployment is declared with the shared quarterly schedule anchor."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.conftest import ROOT
from whitehall.cli import app


def test_report_without_a_warehouse_exits_1_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WHITEHALL_DB", raising=False)
    result = CliRunner().invoke(app, ["report", "-o", str(tmp_path / "reports")])
    assert result.exit_code == 1
    assert "no warehouse at" in result.output and "make run" in result.output
    assert not (tmp_path / "reports").exists()


def test_report_rejects_a_malformed_quarter(tmp_path, monkeypatch):
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["report", "--quarter", "2026Q3"])
    assert result.exit_code == 2
    assert "is not a quarter like 2026-Q3" in result.output


def test_quarterly_report_deployment_uses_the_quarterly_anchor():
    from flows.serve import read_deployments

    spec = {d["name"]: d for d in read_deployments()}["quarterly-report"]
    assert spec["entrypoint"] == "flows/report.py:quarterly_report"
    assert spec["schedules"] == [{"cron": "0 6 1 1,4,7,10 *", "timezone": "Europe/London"}]
    assert spec["work_pool"]["name"] == "whitehall-local" and spec["description"]
    text = (ROOT / "prefect.yaml").read_text(encoding="utf-8")
    block = text[text.index("- name: quarterly-report"):]
    assert "- *quarterly" in block and "work_pool: *local" in block


def test_make_run_ends_by_building_the_report():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("\nrun:"):].split("\n\n")[0].strip().splitlines()
    assert recipe[-1].strip() == "$(BIN)/whitehall report"
