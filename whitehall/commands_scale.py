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


def train_prefilter(console: Console, corpus, out) -> int:
    """Fit the prefilter on the labelled splits against the current model's gate; write it."""
    from classifiers.labelled import CorpusMissingError
    from classifiers.prefilter import shipped_prefilter_dir
    from classifiers.prefilter_train import gate_decisions, train_prefilter as fit
    from classifiers.registry import load_classifier
    from classifiers.train import load_all
    from whitehall.settings import Settings

    settings = Settings()
    model = load_classifier(settings.model_dir, cache_path=settings.cache_path,
                            threads=settings.encoder_threads).classifier.load()
    try:
        data = load_all(corpus)
    except CorpusMissingError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    result = fit(data, gate_decisions(model, data), out or shipped_prefilter_dir())
    console.print(f"prefilter {result['version']} (threshold {result['threshold']})")
    for split, m in result["metrics"].items():
        console.print(f"  {split}: relevant dropped {m['relevant_dropped']:.1%}, gate recall "
                      f"{m['gate_recall']:.3f} -> {m['cascade_recall']:.3f}, irrelevant passed {m['irrelevant_passed']}")
    return 0
