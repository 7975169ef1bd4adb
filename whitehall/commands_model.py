"""CLI commands for the classifier: train, evaluate, classify."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from classifiers.labelled import LABELS
from whitehall.settings import Settings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "covid-inquiry-module-2"


def train(console: Console, corpus: Path, out: Path | None, fine_tune: bool, epochs: int,
          with_annotations: bool) -> None:
    from classifiers.finetune import FineTuneConfig
    from classifiers.registry import shipped_model_dir
    from classifiers.train import TrainConfig, train as fit

    extra = None
    if with_annotations:
        from warehouse.access import connect
        from warehouse.annotation_results import reconciled_annotations

        with connect(Settings().db_path) as con:
            extra = reconciled_annotations(con)
        console.print(f"adding {len(extra)} reconciled annotations from the warehouse")
    config = TrainConfig(fine_tune=fine_tune, finetune=FineTuneConfig(epochs=epochs))
    card = fit(corpus, out or shipped_model_dir(), config, extra=extra, log=console.print,
               cache_path=Settings().cache_path)
    console.print(metrics_table(card["metrics"].get("test/real", {}), "test / real"))
    console.print(metrics_table(card["metrics"].get("test/written", {}), "test / written"))


def metrics_table(metrics: dict, title: str) -> Table:
    table = Table(title=f"{title} (n={metrics.get('n', 0)})")
    for column in ("label", "support", "precision", "recall", "F1 [95% CI]", "keywords F1", "ECE"):
        table.add_column(column, justify="left" if column == "label" else "right")
    keywords = metrics.get("keywords", {}).get("labels", {})
    for label in LABELS:
        row = metrics.get("labels", {}).get(label)
        if not row:
            continue
        low, high = row["f1_ci"]
        table.add_row(label, str(row["support"]), f"{row['precision']:.2f}", f"{row['recall']:.2f}",
                      f"{row['f1']:.2f} [{low:.2f}, {high:.2f}]",
                      f"{keywords.get(label, {}).get('f1', float('nan')):.2f}",
                      f"{metrics.get('ece', {}).get(label, float('nan')):.3f}")
    if "macro_f1_frames" in metrics:
        low, high = metrics["macro_f1_ci"]
        kw = metrics.get("keywords", {}).get("macro_f1_frames", float("nan"))
        table.add_row("[bold]macro-F1 (7 frames)[/]", "", "", "", f"[bold]{metrics['macro_f1_frames']:.2f}[/] "
                      f"[{low:.2f}, {high:.2f}]", f"{kw:.2f}", "")
    return table


def evaluate(console: Console, split: str, corpus: Path, model_dir: Path | None, output: Path | None) -> int:
    from classifiers.labelled import CorpusMissingError
    from classifiers.registry import load_classifier
    from classifiers.train import evaluate_split, load_all

    settings = Settings()
    loaded = load_classifier(model_dir or settings.model_dir, cache_path=settings.cache_path)
    model = loaded.classifier.load()
    try:
        data = load_all(corpus)
    except CorpusMissingError as exc:
        console.print(f"[red]{exc}[/]")
        return 1
    report = {"model_version": model.model_version, "split": split}
    for origin in ("real", "written"):
        part = data.where(split=split, origin=origin)
        if len(part):
            X = model._encode([_input(model, i) for i in part.items])[0]
            report[origin] = evaluate_split(model, X, part)
            console.print(metrics_table(report[origin], f"{split} / {origin}"))
    if output:
        output.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def _input(model, item):
    from classifiers.model import model_input

    return model_input(item, model.use_context)


def classify(console: Console, input_path: Path | None, output: Path | None, baseline: bool) -> int:
    from classifiers.classify_jsonl import classify_stream
    from classifiers.registry import load_classifier

    settings = Settings()
    loaded = load_classifier(settings.model_dir, baseline=baseline or settings.baseline,
                             cache_path=settings.cache_path, threads=settings.encoder_threads,
                             prefilter=settings.prefilter_choice, quantize=settings.quantize)
    source = open(input_path, encoding="utf-8") if input_path and str(input_path) != "-" else sys.stdin
    sink = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        stats = classify_stream(source, sink, loaded.classifier)
    finally:
        if source is not sys.stdin:
            source.close()
        if sink is not sys.stdout:
            sink.close()
    Console(stderr=True).print(f"{stats.classified} of {stats.lines} lines classified"
                               f" ({stats.errors} errors) with {loaded.classifier.model_version}")
    return 0 if stats.classified or not stats.lines else 1
