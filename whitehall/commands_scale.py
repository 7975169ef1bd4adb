"""CLI commands for scale-out: the backfill of a date range."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from warehouse.publish import WarehouseBusyError
from whitehall.commands_ops import counts_table


def run_backfill(console: Console, date_from: date, date_to: date, transport: str | None,
                 sources: list[str] | None) -> None:
    from flows.backfill import backfill

    if date_to < date_from:
        raise typer.BadParameter(f"--to {date_to} is before --from {date_from}")
    try:
        summary = backfill(date_from, date_to, transport=transport, sources=sources)
    except WarehouseBusyError as exc:
        console.print(f"[yellow]{exc}[/]")
        raise typer.Exit(75) from None
    console.print(counts_table(f"Backfill run {summary['run_id']} ({summary['task_runner']}, "
                               f"{summary['months']} source-months): {summary['status']}",
                               summary["by_source"], summary["totals"]))
    console.print(f"passages loaded: {summary['passages_loaded']}; "
                  + ("published a new snapshot" if summary["published"] else "nothing new to publish"))
    for note in summary["notes"]:
        console.print(f"[yellow]note[/] {note}")
