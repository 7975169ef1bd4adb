"""`whitehall`: one command-line interface that mirrors the pipeline's stages."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from whitehall import (commands_annotate, commands_data, commands_model, commands_ops, commands_quarantine,
                       commands_report, commands_research, commands_scale, commands_trends)
from whitehall.params import iso_date

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # the CLI shows progress bars instead
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # a busy 2-core machine starts it slowly

app = typer.Typer(
    name="whitehall",
    help="Whitehall Discourse: measure how Britain talks about its civil service.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
run_app = typer.Typer(help="Run a pipeline flow.", no_args_is_help=True)
app.add_typer(run_app, name="run")
app.add_typer(commands_quarantine.app, name="quarantine")
console = Console() if sys.stdout.isatty() else Console(width=120)

TransportOption = typer.Option(None, "--transport", help="replay (the raw archive) or live (the sources).")


@run_app.command("nightly")
def run_nightly(
    transport: Optional[str] = TransportOption,
    since: Optional[str] = typer.Option(None, "--since", help="Re-scan from this date (YYYY-MM-DD) instead of the watermark."),
    source: Optional[list[str]] = typer.Option(None, "--source", help="Only these sources (repeatable)."),
) -> None:
    """Collect, classify and load what is new.  Example: [bold]whitehall run nightly --transport replay[/]"""
    commands_ops.run_nightly(console, transport, iso_date(since), source)


@app.command("backfill")
def backfill(
    date_from: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD)."),
    date_to: str = typer.Option(..., "--to", help="Last day (YYYY-MM-DD)."),
    transport: Optional[str] = TransportOption,
    source: Optional[list[str]] = typer.Option(None, "--source", help="Only these sources (repeatable)."),
) -> None:
    """Load a date range, mapped over source x month (threads or Dask: WHITEHALL_TASK_RUNNER).  Example: [bold]whitehall backfill --from 2016-01-01 --to 2026-09-30[/]"""
    commands_scale.run_backfill(console, iso_date(date_from), iso_date(date_to), transport, source)


@app.command("parse")
def parse(
    files: list[Path] = typer.Argument(..., help="Local files to parse.", exists=False),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write JSONL here instead of stdout."),
    source: Optional[str] = typer.Option(None, "--source", help="Source format; detected when omitted."),
) -> None:
    """Parse local files into passage JSONL; nothing is loaded.  Example: [bold]whitehall parse debates2023-03-28d.xml -o out.jsonl[/]"""
    raise typer.Exit(commands_data.parse_files(console, files, output, source))


@app.command("status")
def status(limit: int = typer.Option(5, "--limit", help="How many recent runs to show.")) -> None:
    """Last runs, their per-item counts by source, and the quarantine.  Example: [bold]whitehall status[/]"""
    raise typer.Exit(commands_ops.show_status(console, limit))


@app.command("report")
def report(
    quarter: Optional[str] = typer.Option(None, "--quarter", help="The quarter, e.g. 2026-Q3; default: the latest complete in the data."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Reports folder (default: reports/); writes DIR/YYYY-Qn/."),
) -> None:
    """Build the quarterly report (HTML, A4 PDF, chart PNGs).  Example: [bold]whitehall report --quarter 2026-Q2 -o reports[/]"""
    raise typer.Exit(commands_report.build_report(console, quarter, output))


@app.command("migrate")
def migrate() -> None:
    """Create or upgrade the warehouse schema.  Example: [bold]whitehall migrate[/]"""
    commands_ops.migrate(console)


@app.command("train")
def train(
    corpus: Path = typer.Option(commands_model.CORPUS, "--corpus", help="The real corpus folder (text of the real labels)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Model folder; default: the shipped classifiers/model/."),
    fine_tune: bool = typer.Option(True, "--fine-tune/--no-fine-tune", help="Fine-tune the encoder, or fit heads on frozen embeddings."),
    epochs: int = typer.Option(3, "--epochs", help="Fine-tuning epochs."),
    with_annotations: bool = typer.Option(False, "--with-annotations", help="Add reconciled warehouse annotations to the training data."),
) -> None:
    """Train the classifier reproducibly and write its model card.  Example: [bold]whitehall train --no-fine-tune --out /tmp/model[/]"""
    commands_model.train(console, corpus, out, fine_tune, epochs, with_annotations)


@app.command("evaluate")
def evaluate(
    split: str = typer.Option("test", "--split", help="dev or test."),
    corpus: Path = typer.Option(commands_model.CORPUS, "--corpus", help="The real corpus folder."),
    model_dir: Optional[Path] = typer.Option(None, "--model", help="Model folder; default: the shipped one."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Also write the scores as JSON here."),
) -> None:
    """Per-label precision, recall and F1 with CIs, macro-F1, gate F1, ECE and the keyword baseline.  Example: [bold]whitehall evaluate --split test[/]"""
    raise typer.Exit(commands_model.evaluate(console, split, corpus, model_dir, output))


@app.command("train-prefilter")
def train_prefilter(
    corpus: Path = typer.Option(commands_model.CORPUS, "--corpus", help="The real corpus folder."),
    out: Optional[Path] = typer.Option(None, "--out", help="Prefilter folder; default: the shipped classifiers/prefilter/."),
) -> None:
    """Fit the prefilter that spares the encoder clearly irrelevant text, tuned for the gate's recall.  Example: [bold]whitehall train-prefilter --out /tmp/prefilter[/]"""
    raise typer.Exit(commands_scale.train_prefilter(console, corpus, out))


@app.command("classify")
def classify(
    input_path: Optional[Path] = typer.Argument(None, help="Passage JSONL (id, text[, context]); - or none for stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write JSONL here instead of stdout."),
    baseline: bool = typer.Option(False, "--baseline", help="Use the keyword baseline."),
) -> None:
    """Classify passage JSONL, one result per line in input order.  Example: [bold]whitehall classify passages.jsonl -o labels.jsonl[/]"""
    raise typer.Exit(commands_model.classify(console, input_path, output, baseline))


@app.command("reclassify")
def reclassify() -> None:
    """Relabel the warehouse with the current model, keeping earlier labels as history.  Example: [bold]whitehall reclassify[/]"""
    from flows.reclassify import reclassify as run

    summary = run()
    console.print(f"relabelled {summary['relabelled']} passages with {summary['model_version']}")


@app.command("import")
def import_passages(
    path: Path = typer.Argument(..., help="Passage JSONL: id, text, date; optional source_type, speaker, role, party, context, url."),
    name: Optional[str] = typer.Option(None, "--name", help="Load under the source import:NAME; default: the file's name."),
) -> None:
    """Validate, classify and load your own passages; bad lines are quarantined.  Example: [bold]whitehall import passages.jsonl --name mycorpus[/]"""
    raise typer.Exit(commands_trends.import_file(console, path, name))


@app.command("refresh-trends")
def refresh_trends(full: bool = typer.Option(False, "--full", help="Recompute every quarter, not only changed ones.")) -> None:
    """Recompute the trend tables (shares with CIs, changes, adoption).  Example: [bold]whitehall refresh-trends --full[/]"""
    commands_trends.refresh(console, full)


@app.command("serve")
def serve(port: int = typer.Option(4200, "--port", help="Port of the local Prefect server to start if none answers.")) -> None:
    """Serve prefect.yaml's deployments on their schedules (starts a local Prefect server).  Example: [bold]whitehall serve[/]"""
    from flows.serve import serve_all

    serve_all(port)


@app.command("sample")
def sample(
    archive_dir: Optional[Path] = typer.Argument(None, help="Where to write it; default: WHITEHALL_ARCHIVE_DIR."),
    force: bool = typer.Option(False, "--force", help="Rebuild even if the archive exists."),
) -> None:
    """Build the synthetic sample archive (deterministic).  Example: [bold]whitehall sample[/]"""
    commands_data.build_sample(console, archive_dir, force)


# Researchers' interface (whitehall/commands_research.py, whitehall/commands_annotate.py)
app.command("sql")(commands_research.sql)
app.command("search")(commands_research.search)
app.command("similar")(commands_research.similar)
app.command("embed")(commands_research.embed)
app.command("export")(commands_research.export)
app.command("annotate")(commands_annotate.annotate)
app.command("agreement")(commands_research.agreement)


if __name__ == "__main__":
    app()
