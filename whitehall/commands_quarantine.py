"""`whitehall quarantine list|show|retry`: see why items failed, and retry them once fixed.

Everything shown came from outside (errors quote the input), so it is printed as plain text
with control characters made visible: a hostile file cannot drive the terminal or Rich markup.
"""

from __future__ import annotations

import re
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from warehouse.publish import WarehouseBusyError
from warehouse.quarantine import get_item, history, list_items
from whitehall.settings import Settings

app = typer.Typer(help="Items that failed to fetch or parse: list, show, retry.", no_args_is_help=True)
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def printable(value: object, limit: int | None = None) -> Text:
    """Plain text (never markup) with control characters shown as escapes."""
    text = "" if value is None else str(value)
    text = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode(), text)
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    return Text(text)


def _console() -> Console:
    return Console() if sys.stdout.isatty() else Console(width=160)


def _open(settings: Settings):
    from whitehall.commands_ops import _reader

    return _reader(settings)


@app.command("list")
def list_command(
    source: Optional[str] = typer.Option(None, "--source", help="Only this source."),
    include_resolved: bool = typer.Option(False, "--all", help="Include resolved items."),
) -> None:
    """Quarantined items with their stage and error.  Example: [bold]whitehall quarantine list --source hansard[/]"""
    console = _console()
    try:
        con = _open(Settings())
    except FileNotFoundError as exc:
        console.print(printable(exc))
        raise typer.Exit(1) from None
    items = list_items(con, source=source, include_resolved=include_resolved)
    con.close()
    table = Table(title=f"Quarantine: {len(items)} {'items' if include_resolved else 'open items'}")
    for column in ("id", "source", "item", "stage", "attempts", "first run", "last run", "resolved", "error"):
        table.add_column(column, overflow="fold")
    for i in items:
        table.add_row(str(i.quarantine_id), printable(i.source), printable(i.item_id, 60), i.stage,
                      str(i.attempts), str(i.run_id), str(i.last_run),
                      "" if i.open else f"run {i.resolved_run}", printable(i.error.splitlines()[0], 100))
    console.print(table)


@app.command("show")
def show_command(quarantine_id: int = typer.Argument(..., help="The id from `whitehall quarantine list`.")) -> None:
    """Everything about one quarantined item: error, raw bytes, history.  Example: [bold]whitehall quarantine show 12[/]"""
    from extractors.archive import RawArchive

    console = _console()
    settings = Settings()
    try:
        con = _open(settings)
    except FileNotFoundError as exc:
        console.print(printable(exc))
        raise typer.Exit(1) from None
    item = get_item(con, quarantine_id)
    if item is None:
        con.close()
        console.print(printable(f"no quarantined item {quarantine_id}"))
        raise typer.Exit(1)
    runs = history(con, item.source, item.item_id)
    con.close()
    rows = [("id", item.quarantine_id), ("source", item.source), ("item", item.item_id), ("url", item.url),
            ("stage", item.stage), ("attempts", item.attempts), ("first run", item.run_id),
            ("last run", item.last_run), ("cursor", item.cursor),
            ("status", "open" if item.open else f"resolved by run {item.resolved_run} at {item.resolved_at}"),
            ("raw sha256", item.raw_sha256 or "(none kept: it failed before its bytes arrived)")]
    for name, value in rows:
        console.print(Text(f"{name:>11}: ") + printable(value))
    console.print(Text("      error: ") + printable(item.error))
    if item.raw_sha256:
        archive = RawArchive(settings.archive_path)
        try:
            if archive.has(item.raw_sha256):
                data = archive.read(item.raw_sha256)
                console.print(Text(f"  raw bytes: {len(data)} bytes; first 300: ") + printable(repr(data[:300])))
            else:
                console.print(Text("  raw bytes: not in this archive ") + printable(settings.archive_path))
        finally:
            archive.close()
    for run_id, flow_name, started, state, reason, error in runs:
        console.print(Text(f"    run {run_id} ({flow_name}, {started:%Y-%m-%d %H:%M}): {state}")
                      + printable(f" {reason}" if reason else "") + printable(f" {error}" if error else "", 200))


@app.command("retry")
def retry_command(
    ids: Optional[list[int]] = typer.Argument(None, help="Quarantine ids to retry."),
    source: Optional[str] = typer.Option(None, "--source", help="Retry every open item of this source."),
    every: bool = typer.Option(False, "--all", help="Retry every open item."),
    refetch: bool = typer.Option(False, "--refetch", help="Fetch again instead of re-parsing the archived bytes."),
    transport: Optional[str] = typer.Option(None, "--transport", help="replay (the raw archive) or live (the sources)."),
) -> None:
    """Re-parse quarantined items with the current code and load those that now parse.  Example: [bold]whitehall quarantine retry 12 13[/]"""
    from flows.quarantine import quarantine_retry

    console = _console()
    if not ids and not source and not every:
        console.print(Text("say which items: quarantine ids, --source NAME or --all"))
        raise typer.Exit(2)
    try:
        summary = quarantine_retry(ids=ids or None, source=source, refetch=refetch, transport=transport)
    except WarehouseBusyError as exc:
        console.print(printable(exc))
        raise typer.Exit(75) from None
    for quarantine_id, state in sorted(summary["results"].items()):
        verdict = "still quarantined" if state == "quarantined" else f"{state}: resolved"
        console.print(Text(f"{quarantine_id}: {verdict}"))
    for quarantine_id, why in sorted(summary["not_retriable"].items()):
        console.print(Text(f"{quarantine_id}: not retried: ") + printable(why))
    console.print(Text(f"run {summary['run_id']}: {summary['resolved']} resolved; " +
                       ", ".join(f"{k}={v}" for k, v in summary["totals"].items())))
