"""CLI command that builds the quarterly report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from warehouse.report.quarters import Quarter
from whitehall.settings import Settings


def parse_quarter(value: str | None) -> Quarter | None:
    if value is None:
        return None
    try:
        return Quarter.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def build_report(console: Console, quarter: str | None, output: Path | None) -> int:
    """Build the report into OUTPUT/YYYY-Qn/; return the exit code."""
    from warehouse.report.build import archive_is_synthetic, build_report_from_file
    from warehouse.report.data import NoDataError

    settings = Settings()
    requested = parse_quarter(quarter)
    try:
        result = build_report_from_file(settings.db_path, output or settings.reports_dir, requested,
                                        synthetic=archive_is_synthetic(settings.archive_path))
    except (FileNotFoundError, NoDataError) as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    console.print(f"[bold]Quarterly report {result.quarter}[/]" + ("" if requested else
                  " (the latest quarter complete in the data)"))
    console.print(result.headline.lead)
    for finding in result.headline.findings:
        console.print(f"  - {finding}")
    console.print(f"wrote {result.html}, {result.pdf} and {len(result.charts)} chart PNGs")
    return 0
