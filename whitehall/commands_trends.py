"""CLI commands for trends and researchers' corpora: import, refresh-trends."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from extractors.vocab import ITEM_STATES
from warehouse.publish import WarehouseBusyError
from whitehall.settings import Settings

SHOW_PROBLEMS = 20


def import_file(console: Console, path: Path, name: str | None) -> int:
    """Import a passage JSONL file; exit 1 only when nothing in it could be imported."""
    from extractors.imported import default_name, import_source
    from flows.imports import import_passages

    if not path.is_file():
        console.print(f"[red]no such file: {path}[/]")
        return 1
    try:
        import_source(default_name(path) if name is None else name)
    except ValueError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    try:
        summary = import_passages(str(path), name)
    except WarehouseBusyError as exc:
        console.print(f"[yellow]{exc}[/]")
        raise typer.Exit(75) from None
    totals = summary["totals"]
    table = Table(title=f"Import {summary['source']} (run {summary['run_id']})")
    for column in ("lines", *ITEM_STATES):
        table.add_column(column, justify="right")
    table.add_row(str(totals["discovered"]), *(str(totals[s]) for s in ITEM_STATES))
    console.print(table)
    console.print(f"passages loaded: {summary['passages_loaded']}, replaced: {summary['passages_removed']}; "
                  f"trend quarters refreshed: {summary['trend_quarters_refreshed']}")
    for problem in summary["problems"][:SHOW_PROBLEMS]:
        console.print(f"[yellow]quarantined[/] {problem}")
    if len(summary["problems"]) > SHOW_PROBLEMS:
        console.print(f"... and {len(summary['problems']) - SHOW_PROBLEMS} more (`whitehall status`)")
    good = totals["loaded"] + totals["unchanged"]
    return 0 if good or not totals["discovered"] else 1


def refresh(console: Console, full: bool) -> None:
    """Recompute the trend tables under the write lock and publish them."""
    from warehouse.db import open_db
    from warehouse.publish import WriteLock, prepare_work_db, publish
    from warehouse.trends.refresh import refresh_trends

    settings = Settings()
    with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
        work = prepare_work_db(settings.db_path)
        con = open_db(work)
        summary = refresh_trends(con, full=full)
        con.execute("CHECKPOINT")
        con.close()
        if summary.quarters:
            publish(work, settings.db_path)
    if summary.model_version is None:
        console.print("no current model in the warehouse: nothing to estimate (run `whitehall run nightly`)")
        return
    if not summary.quarters:
        console.print(f"trend tables are up to date for {summary.model_version}")
        return
    console.print(f"trends for {summary.model_version}: {len(summary.quarters)} quarter(s) recomputed"
                  f"{' (full)' if summary.full else ''}, {summary.cells} cells ({summary.ppi_cells} with PPI), "
                  f"{summary.changes} change points, {summary.adopters} speakers adopting; {summary.seconds} s")
    for note in summary.notes:
        console.print(f"[yellow]note[/] {note}")
