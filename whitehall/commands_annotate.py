"""The `whitehall annotate` command (the screen itself is whitehall/annotate_screen.py)."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from warehouse.annotation_queue import QueueConfig
from whitehall.settings import Settings


def annotate(
    annotator: str = typer.Option(..., "--annotator", help="Your name, recorded with every answer."),
    limit: int = typer.Option(50, "--limit", help="Stop after this many answers."),
    overlap: float = typer.Option(0.2, "--overlap", help="Share of items sent to several annotators."),
    overlap_annotators: int = typer.Option(2, "--overlap-annotators", help="Annotators per overlap item."),
    gold_share: float = typer.Option(0.5, "--gold-share", help="Share of the queue from the random gold sample."),
    gold_per_quarter: int = typer.Option(20, "--gold-per-quarter", help="Gold passages drawn per quarter."),
    hide_suggestion: bool = typer.Option(False, "--hide-suggestion", help="Do not show the model's labels."),
) -> None:
    """Label passages in an interactive queue (gold sample and active learning).  Example: [bold]whitehall annotate --annotator alice[/]"""
    from whitehall.annotate_screen import run_session

    console = Console()
    if not sys.stdin.isatty():
        console.print("[red]annotate needs an interactive terminal[/]")
        raise typer.Exit(2)
    if not 0 <= overlap <= 1 or not 0 <= gold_share <= 1 or overlap_annotators < 1 or gold_per_quarter < 1:
        raise typer.BadParameter("--overlap and --gold-share are shares (0 to 1); counts are at least 1")
    settings = Settings()
    if not settings.db_path.is_file():
        console.print(f"[red]no published warehouse at {settings.db_path}: run `whitehall run nightly` first[/]")
        raise typer.Exit(1)
    config = QueueConfig(per_stratum=gold_per_quarter, gold_share=gold_share, overlap=overlap,
                         overlap_annotators=overlap_annotators)
    summary = run_session(console, settings.db_path, annotator, config, limit, hide_suggestion,
                          lock_wait_s=max(5.0, settings.lock_wait_s))
    streams = ", ".join(f"{s} {n}" for s, n in sorted(summary.saved.items())) or "none"
    console.print(f"saved {sum(summary.saved.values())} answers ({streams}); skipped {summary.skipped}; "
                  + ("published a new snapshot" if summary.published else "nothing new to publish")
                  + (f"; {summary.pending} still waiting in the journal" if summary.pending else ""))
