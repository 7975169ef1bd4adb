"""CLI commands that run or inspect the pipeline: run nightly, status, migrate."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from extractors.vocab import ITEM_STATES
from warehouse.db import open_db
from warehouse import health
from warehouse.health import Thresholds
from warehouse.ledger import source_counts
from warehouse.publish import WarehouseBusyError, WriteLock, prepare_work_db, publish, work_path
from whitehall.progress import pipeline_progress
from whitehall.settings import Settings


def counts_table(title: str, by_source: dict[str, dict[str, int]], totals: dict[str, int] | None = None) -> Table:
    table = Table(title=title)
    table.add_column("source")
    for column in ("discovered", *ITEM_STATES):
        table.add_column(column, justify="right")
    for source, counts in by_source.items():
        table.add_row(source, *(str(counts.get(c, 0)) for c in ("discovered", *ITEM_STATES)))
    if totals:
        table.add_row("[bold]all[/]", *(f"[bold]{totals.get(c, 0)}[/]" for c in ("discovered", *ITEM_STATES)))
    return table


def sources_table(title: str, by_source: dict[str, dict[str, object]]) -> Table:
    """Per-source counts of a stored run, its status, and whether the counts reconcile."""
    table = Table(title=title)
    for column in ("source", "status", "discovered", *ITEM_STATES, "reconciles"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for source, c in by_source.items():
        ok = {True: "yes", False: Text("NO", style="bold red"), None: "?"}[c["reconciles"]]
        table.add_row(Text(source), Text(str(c["status"] or "?")), str(c["discovered"] if c["discovered"] is not None else "?"),
                      *(str(c[s]) for s in ITEM_STATES), ok)
    return table


def run_nightly(console: Console, transport: str | None, since: date | None, sources: list[str] | None) -> None:
    from flows.nightly import nightly

    try:
        with pipeline_progress(console):
            summary = nightly(transport=transport, since=since, sources=sources)
    except WarehouseBusyError as exc:
        console.print(f"[yellow]{exc}[/]")
        raise typer.Exit(75) from None
    console.print(counts_table(f"Nightly run {summary['run_id']}: {summary['status']}",
                               summary["by_source"], summary["totals"]))
    reasons = ", ".join(f"{k}={v}" for k, v in sorted(summary["skip_reasons"].items())) or "none"
    console.print(f"passages loaded: {summary['passages_loaded']}, replaced: {summary['passages_removed']}; "
                  f"skip reasons: {reasons}; "
                  + ("published a new snapshot" if summary["published"] else "nothing new to publish"))
    for note in summary["notes"]:
        console.print(f"[yellow]note[/] {note}")


def _reader(settings: Settings):
    """The freshest readable copy: the working database when no run holds it, else the snapshot."""
    work = work_path(settings.db_path)
    if work.exists():
        with suppress(WarehouseBusyError):
            with WriteLock(settings.db_path):
                return open_db(work, read_only=True)
    return open_db(settings.db_path, read_only=True)


def show_status(console: Console, limit: int) -> int:
    settings = Settings()
    try:
        con = _reader(settings)
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    runs = con.execute(
        "SELECT run_id, flow, started_at, finished_at, status, discovered, loaded, unchanged, skipped,"
        " quarantined, failed_transient, passages_loaded, skipped_reasons FROM runs"
        " ORDER BY run_id DESC LIMIT ?", [limit]
    ).fetchall()
    table = Table(title="Recent runs")
    for column in ("run", "flow", "started", "status", "discovered", *ITEM_STATES, "passages"):
        table.add_column(column, justify="right" if column not in ("flow", "status", "started") else "left")
    for r in runs:
        table.add_row(str(r[0]), r[1], f"{r[2]:%Y-%m-%d %H:%M}", r[4], *(str(v) for v in r[5:12]))
    console.print(table)
    if runs:
        console.print(sources_table(f"Run {runs[0][0]} by source", source_counts(con, runs[0][0])))
    sources = [r[0] for r in con.execute("SELECT DISTINCT source FROM run_sources ORDER BY 1").fetchall()]
    alerts = health.check(con, sources, health.as_of(con, settings.transport == 'replay'), Thresholds(
        settings.alert_failed_nights, settings.alert_gap_factor, settings.alert_gap_quantile, settings.alert_min_gaps))
    for alert in alerts:
        console.print(Text("ALERT ", style="bold red") + Text(alert.message))
    open_items = con.execute(
        "SELECT source, stage, count(*) FROM quarantine WHERE resolved_at IS NULL GROUP BY ALL ORDER BY 1"
    ).fetchall()
    passages, labelled = con.execute(
        "SELECT (SELECT count(*) FROM passages), (SELECT count(*) FROM v_passage_labels)"
    ).fetchone()
    console.print(f"warehouse: {passages} passages, {labelled} labelled by the current model")
    if open_items:
        console.print("quarantine (unresolved): " + ", ".join(f"{s}/{st}: {n}" for s, st, n in open_items))
    else:
        console.print("quarantine: empty")
    con.close()
    return 0


def migrate(console: Console) -> None:
    from warehouse.schema import available

    settings = Settings()
    with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
        work = prepare_work_db(settings.db_path)
        con = open_db(work, run_migrations=False)
        from warehouse.schema import migrate as apply

        ran = apply(con)
        con.execute("CHECKPOINT")
        con.close()
        publish(work, settings.db_path)
    console.print(f"applied {len(ran)} migration(s); schema at version {available()[-1].version:03d}"
                  + (": " + ", ".join(f"{m.version:03d}_{m.name}" for m in ran) if ran else ""))
