"""One source's share of a run: plan a batch of outcomes, label what needs it, commit, settle.

The flow calls these in order for each batch; the classifier is passed in, so this module
never decides which model runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import duckdb

from classifiers.base import Classifier, PassageInput, Prediction
from extractors.acquire import Outcome
from warehouse.ledger import ItemRecord, RunLedger
from warehouse.loader import Batch, PlannedDocument, QuarantineRow, load_batch, plan


class UnlabelledPassagesError(RuntimeError):
    """A batch would load passages with no label from the current model."""


@dataclass
class BatchPlan:
    outcomes: list[Outcome]
    planned: dict[int, PlannedDocument] = field(default_factory=dict)  # outcome index → plan

    def passages_to_label(self) -> dict[tuple[str, str], PassageInput]:
        """Distinct (passage id, content hash) pairs that need a label, with their inputs."""
        wanted: dict[tuple[str, str], PassageInput] = {}
        for doc in self.planned.values():
            for index in doc.to_label:
                p = doc.document.passages[index]
                wanted.setdefault((p.passage_id, p.content_hash), PassageInput(p.text, p.context))
        return wanted


def read_watermark(con: duckdb.DuckDBPyConnection, source: str) -> str | None:
    row = con.execute("SELECT cursor FROM watermarks WHERE source = ?", [source]).fetchone()
    return row[0] if row else None


def plan_batch(con: duckdb.DuckDBPyConnection, outcomes: list[Outcome], model_version: str) -> BatchPlan:
    """Compare parsed documents with the warehouse; work out what to load and label."""
    batch = BatchPlan(outcomes)
    parsed = [(i, o) for i, o in enumerate(outcomes) if o.state == "parsed"]
    planned = plan(con, [(o.document, o.raw_sha256) for _, o in parsed], model_version)
    for (index, _), doc in zip(parsed, planned):
        batch.planned[index] = doc
    return batch


def label_batch(batch: BatchPlan, classifier: Classifier) -> dict[tuple[str, str], Prediction]:
    """Classify every passage of the batch that lacks a current label."""
    wanted = batch.passages_to_label()
    if not wanted:
        return {}
    keys = list(wanted)
    predictions = classifier.predict([wanted[k] for k in keys])
    if len(predictions) != len(keys):
        raise UnlabelledPassagesError(f"classifier returned {len(predictions)} predictions for {len(keys)} passages")
    return dict(zip(keys, predictions))


@dataclass
class SourceProgress:
    """Where the watermark of one source stands during a run."""

    source: str
    cursor: str | None
    blocked: bool = False  # a transient failure: the watermark stops before it for this run


def commit_batch(con: duckdb.DuckDBPyConnection, ledger: RunLedger, progress: SourceProgress,
                 batch: BatchPlan, predictions: dict[tuple[str, str], Prediction]) -> None:
    """Write the batch in one transaction, then settle its items in the ledger."""
    _check_labelled(batch, predictions)
    records: list[ItemRecord] = []
    quarantine: list[QuarantineRow] = []
    for index, outcome in enumerate(batch.outcomes):
        ref = outcome.ref
        state, reason, document_id = outcome.state, outcome.reason, None
        if state == "parsed":
            planned = batch.planned[index]
            document_id = planned.document.document_id
            state, reason = {"load": ("loaded", None), "unchanged": ("unchanged", None),
                             "superseded": ("skipped", "superseded")}[planned.state]
        if state == "quarantined":
            quarantine.append(QuarantineRow(ref.source, ref.item_id, ref.url, outcome.stage or "parse",
                                            outcome.error or "unknown error", outcome.raw_sha256))
        records.append(ItemRecord(ref.source, ref.item_id, state, reason, outcome.error,
                                  document_id, ref.cursor))

    cursor = progress.cursor
    blocked = progress.blocked
    for record in sorted(records, key=lambda r: r.cursor or ""):
        if record.state == "failed_transient":
            blocked = True
        elif not blocked and record.cursor and (cursor is None or record.cursor > cursor):
            cursor = record.cursor
    watermarks = {progress.source: cursor} if cursor and cursor != progress.cursor else {}

    written = Batch(documents=list(batch.planned.values()), predictions=predictions, items=records,
                    quarantine=quarantine, watermarks=watermarks)
    loaded, removed = load_batch(con, ledger.run_id, written)
    progress.cursor, progress.blocked = cursor, blocked
    ledger.passages_loaded += loaded
    ledger.passages_removed += removed
    ledger.resolved += written.resolved
    for record in records:
        ledger.settle(record)


def _check_labelled(batch: BatchPlan, predictions: dict[tuple[str, str], Prediction]) -> None:
    missing = [k for k in batch.passages_to_label() if k not in predictions]
    if missing:
        raise UnlabelledPassagesError(
            f"{len(missing)} passages would load without a label from the current model "
            f"(first: {missing[0][0]}); nothing from this batch was loaded"
        )


def outcomes_in_batches(outcomes: Sequence[Outcome], size: int) -> list[list[Outcome]]:
    return [list(outcomes[i:i + size]) for i in range(0, len(outcomes), size)]
