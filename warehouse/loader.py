"""The idempotent loader: plan what changed, then load a batch in one transaction.

- A document whose content hash is stored already is `unchanged` and costs nothing more.
- A changed document replaces its passages. Passages whose text did not change keep their
  ids (matched by content hash), so labels and annotations follow the text.
- A lower version never replaces a higher one (`skipped: superseded`).
- Only passage texts without a label from the current model are sent to the classifier.
- Two items of one batch that parse to the same document: the higher version loads, the other
  is `superseded` (or `unchanged` when identical), so a batch never writes a document twice.
- Documents, passages, labels, item states, quarantine rows (one open row per item: a repeat
  counts an attempt; an item that now settles otherwise resolves it) and the watermark of a
  batch commit together or not at all, with the trend refresh's marks of what the batch
  changed (the passages deleted and inserted, and the decisions written).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from classifiers.base import Prediction
from classifiers.codebook import EXPLICIT_FLAG, FRAMES
from extractors.passage import Document, Passage, make_passage_id
from warehouse.ledger import ItemRecord
from warehouse.model_registry import current_model
from warehouse.trends.dirty import DECISION_COLUMNS, log_decisions, mark_documents, mark_passages

LABEL_NAMES = ("relevant", *FRAMES, EXPLICIT_FLAG)


@dataclass
class PlannedDocument:
    """A parsed document and what loading it needs."""

    document: Document
    raw_sha256: str | None
    state: str  # "load" | "unchanged" | "superseded"
    to_label: list[int] = field(default_factory=list)  # indices of passages needing labels
    replaces: bool = False  # a stored version exists (so old passages and labels may be there)


@dataclass
class QuarantineRow:
    source: str
    item_id: str
    url: str | None
    stage: str
    error: str
    raw_sha256: str | None


@dataclass
class Batch:
    """Everything one transaction writes."""

    documents: list[PlannedDocument] = field(default_factory=list)
    predictions: dict[tuple[str, str], Prediction] = field(default_factory=dict)  # (pid, hash)
    items: list[ItemRecord] = field(default_factory=list)
    quarantine: list[QuarantineRow] = field(default_factory=list)
    watermarks: dict[str, str] = field(default_factory=dict)
    resolved: int = 0  # set by load_batch: open quarantine rows this batch resolved


def _in_chunks(values: list[str], size: int = 5000):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def plan(con: duckdb.DuckDBPyConnection, parsed: list[tuple[Document, str | None]],
         model_version: str) -> list[PlannedDocument]:
    """Decide per document: unchanged, superseded, or load (with carried-over passage ids)."""
    ids = [doc.document_id for doc, _ in parsed]
    stored: dict[str, tuple[str, str]] = {}
    old_passages: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for chunk in _in_chunks(list(dict.fromkeys(ids))):
        for doc_id, content_hash, version in con.execute(
            "SELECT document_id, content_hash, version FROM documents WHERE document_id IN "
            "(SELECT unnest(?))", [chunk]
        ).fetchall():
            stored[doc_id] = (content_hash, version)
    changed_ids = [doc.document_id for doc, _ in parsed if doc.document_id in stored]
    for chunk in _in_chunks(changed_ids):
        for doc_id, pid, content_hash, locator in con.execute(
            "SELECT document_id, passage_id, content_hash, locator FROM passages "
            "WHERE document_id IN (SELECT unnest(?)) ORDER BY document_id, seq", [chunk]
        ).fetchall():
            old_passages[doc_id].append((pid, content_hash, locator))

    planned: list[PlannedDocument] = []
    for doc, raw_sha in parsed:
        previous = stored.get(doc.document_id)
        if previous and previous[1] > doc.version:
            planned.append(PlannedDocument(doc, raw_sha, "superseded"))
        elif previous and previous[0] == doc.content_hash:
            planned.append(PlannedDocument(doc, raw_sha, "unchanged"))
        else:
            doc = carry_over_ids(doc, old_passages.get(doc.document_id, []))
            planned.append(PlannedDocument(doc, raw_sha, "load", replaces=previous is not None))
    _one_per_document(planned)
    _mark_unlabelled(con, [p for p in planned if p.state == "load"], model_version)
    return planned


def _one_per_document(planned: list[PlannedDocument]) -> None:
    """Within a batch, only the highest version of a document loads (the later one on a tie)."""
    winners: dict[str, PlannedDocument] = {}
    for doc in planned:
        if doc.state != "load":
            continue
        best = winners.get(doc.document.document_id)
        if best is None or doc.document.version >= best.document.version:
            winners[doc.document.document_id] = doc
    for doc in planned:
        best = winners.get(doc.document.document_id)
        if doc.state == "load" and best is not doc:
            same = best.document.content_hash == doc.document.content_hash
            doc.state = "unchanged" if same else "superseded"


def carry_over_ids(doc: Document, old: list[tuple[str, str, str]]) -> Document:
    """Give each new passage the id of an old passage with the same text, where one is free."""
    if not old:
        return doc
    free: dict[str, list[str]] = defaultdict(list)
    for pid, content_hash, _ in old:
        free[content_hash].append(pid)
    used: set[str] = set()
    result: list[Passage] = []
    pending: list[int] = []
    for index, passage in enumerate(doc.passages):
        candidates = free.get(passage.content_hash)
        if candidates:
            pid = candidates.pop(0)
            used.add(pid)
            result.append(passage.model_copy(update={"passage_id": pid}))
        else:
            result.append(passage)
            pending.append(index)
    for index in pending:  # a derived id an earlier text already took gets a disambiguated one
        passage = result[index]
        if passage.passage_id in used:
            pid = make_passage_id(doc.source, doc.document_id, f"{passage.locator}#{passage.content_hash[:12]}")
            result[index] = passage.model_copy(update={"passage_id": pid})
        used.add(result[index].passage_id)
    return doc.model_copy(update={"passages": result})


def _mark_unlabelled(con: duckdb.DuckDBPyConnection, planned: list[PlannedDocument],
                     model_version: str) -> None:
    """Passages without a label from the model. Only a document stored before can have any:
    passage ids derive from the document id, and only this loader writes documents and labels,
    so a batch of new documents never scans the labels table (its cost is the batch's, not the
    warehouse's)."""
    keys = [(p.passage_id, p.content_hash) for doc in planned if doc.replaces for p in doc.document.passages]
    labelled: set[tuple[str, str]] = set()
    ids = [k[0] for k in keys]
    for chunk in _in_chunks(ids):
        labelled.update(con.execute(
            "SELECT DISTINCT passage_id, content_hash FROM labels WHERE model_version = ? "
            "AND passage_id IN (SELECT unnest(?))", [model_version, chunk]
        ).fetchall())
    for doc in planned:
        doc.to_label = [i for i, p in enumerate(doc.document.passages)
                        if (p.passage_id, p.content_hash) not in labelled]


def load_batch(con: duckdb.DuckDBPyConnection, run_id: int, batch: Batch) -> tuple[int, int]:
    """Write one batch atomically; return (passages loaded, passages removed)."""
    to_load = [p for p in batch.documents if p.state == "load"]
    replaced = [p.document.document_id for p in to_load if p.replaces]  # new documents delete nothing
    con.execute("BEGIN TRANSACTION")
    try:
        removed = 0
        if replaced:
            removed = con.execute(
                "SELECT count(*) FROM passages WHERE document_id IN (SELECT unnest(?))", [replaced]
            ).fetchone()[0]
            mark_documents(con, replaced)  # for the trend refresh: the passages deleted
            con.execute("DELETE FROM passages WHERE document_id IN (SELECT unnest(?))", [replaced])
            con.execute("DELETE FROM documents WHERE document_id IN (SELECT unnest(?))", [replaced])
        if to_load:
            _insert_documents(con, run_id, to_load)
            _insert_passages(con, to_load)
            mark_passages(con, (p.passage_id for d in to_load for p in d.document.passages))
        fresh = {p.passage_id for d in to_load if not d.replaces for p in d.document.passages}
        write_labels(con, batch.predictions, new=fresh)
        _insert_items(con, run_id, batch.items)
        _insert_quarantine(con, run_id, batch.quarantine)
        batch.resolved = _resolve_quarantine(con, run_id, batch.items)
        for source, cursor in batch.watermarks.items():
            con.execute(
                "INSERT OR REPLACE INTO watermarks (source, cursor, run_id, updated_at) VALUES (?, ?, ?, now())",
                [source, cursor, run_id],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    loaded = sum(len(p.document.passages) for p in to_load)
    return loaded, removed


def _insert_documents(con: duckdb.DuckDBPyConnection, run_id: int, planned: list[PlannedDocument]) -> None:
    table = pa.table({
        "document_id": [p.document.document_id for p in planned],
        "source": [p.document.source for p in planned],
        "source_type": [p.document.source_type for p in planned],
        "item_id": [p.document.item_id for p in planned],
        "version": [p.document.version for p in planned],
        "url": [p.document.url for p in planned],
        "title": [p.document.title for p in planned],
        "date": [p.document.date for p in planned],
        "content_hash": [p.document.content_hash for p in planned],
        "raw_sha256": [p.raw_sha256 for p in planned],
        "n_passages": [len(p.document.passages) for p in planned],
        "meta": [json.dumps(p.document.meta, sort_keys=True) for p in planned],
    })
    con.register("_docs", table)
    try:
        con.execute(
            "INSERT INTO documents SELECT document_id, source, source_type, item_id, version, url, title,"
            " date, content_hash, raw_sha256, n_passages, meta::JSON, ?, now() FROM _docs", [run_id]
        )
    finally:
        con.unregister("_docs")


_PASSAGE_COLUMNS = ("passage_id", "document_id", "seq", "source", "source_type", "url", "locator",
                    "date", "speaker", "speaker_id", "role", "party", "department", "text",
                    "context", "content_hash")


def _insert_passages(con: duckdb.DuckDBPyConnection, planned: list[PlannedDocument]) -> None:
    columns: dict[str, list] = {c: [] for c in _PASSAGE_COLUMNS}
    fields = [c for c in _PASSAGE_COLUMNS if c != "seq"]
    for p in planned:
        for seq, passage in enumerate(p.document.passages):
            columns["seq"].append(seq)
            for c in fields:  # attribute reads: model_dump() per passage cost more than the insert
                columns[c].append(getattr(passage, c))
    table = pa.table(columns)
    con.register("_passages", table)
    try:
        con.execute(f"INSERT INTO passages ({', '.join(_PASSAGE_COLUMNS)}) SELECT * FROM _passages")
    finally:
        con.unregister("_passages")


def write_labels(con: duckdb.DuckDBPyConnection, predictions: dict[tuple[str, str], Prediction],
                 new: set[str] = frozenset()) -> None:
    """Insert the labels, replacing any of the same passage text and model; passages in `new`
    (of documents never stored before) cannot have any, so they skip the look-up. The current
    model's decisions are logged for the trend refresh (warehouse/trends/dirty.py)."""
    if not predictions:
        return
    current = current_model(con)
    rows: dict[str, list] = {c: [] for c in ("passage_id", "content_hash", "model_version",
                                                 "codebook_version", "label", "probability",
                                                 "decision", "evidence")}
    decisions: dict[str, list] = {c: [] for c in ("passage_id", "content_hash", *DECISION_COLUMNS, "model_version")}
    for (pid, content_hash), pred in predictions.items():
        values = {
            "relevant": (pred.p_relevant, pred.relevant),
            EXPLICIT_FLAG: (pred.p_explicit, pred.explicit_trait_vocabulary),
        }
        for frame in FRAMES:
            values[frame] = (pred.frames[frame], frame in pred.labels)
        for label in LABEL_NAMES:
            probability, decision = values[label]
            rows["passage_id"].append(pid)
            rows["content_hash"].append(content_hash)
            rows["model_version"].append(pred.model_version)
            rows["codebook_version"].append(pred.codebook_version)
            rows["label"].append(label)
            rows["probability"].append(float(probability))
            rows["decision"].append(bool(decision))
            rows["evidence"].append(pred.evidence.get(label) if decision else None)
        if pred.model_version == current:  # as v_passage_labels will read these rows
            for column, value in (("passage_id", pid), ("content_hash", content_hash), ("model_version", current)):
                decisions[column].append(value)
            for label in LABEL_NAMES:
                probability, decision = values[label]
                decisions[label].append(bool(decision))
                if label != EXPLICIT_FLAG:
                    decisions[f"p_{label}"].append(float(probability))
    con.register("_labels", pa.table(rows))
    try:
        if any(pid not in new for pid, _ in predictions):
            con.execute(
                "DELETE FROM labels WHERE (passage_id, content_hash, model_version) IN "
                "(SELECT DISTINCT passage_id, content_hash, model_version FROM _labels)"
            )
        con.execute("INSERT INTO labels SELECT *, now() FROM _labels")
    finally:
        con.unregister("_labels")
    log_decisions(con, decisions)


def _insert_items(con: duckdb.DuckDBPyConnection, run_id: int, items: list[ItemRecord]) -> None:
    if not items:
        return
    table = pa.table({
        "run_id": [run_id] * len(items),
        "source": [i.source for i in items],
        "item_id": [i.item_id for i in items],
        "state": [i.state for i in items],
        "reason": [i.reason for i in items],
        "error": [i.error for i in items],
        "document_id": [i.document_id for i in items],
        "cursor": [i.cursor for i in items],
    })
    con.register("_items", table)
    try:
        con.execute("INSERT INTO run_items SELECT * FROM _items")
    finally:
        con.unregister("_items")


def _insert_quarantine(con: duckdb.DuckDBPyConnection, run_id: int, rows: list[QuarantineRow]) -> None:
    """One open row per item: a new one, or the open one updated with the latest error."""
    for row in rows:
        updated = con.execute(
            "UPDATE quarantine SET stage = ?, error = ?, url = ?, raw_sha256 = ?,"
            " attempts = coalesce(attempts, 1) + 1, last_run = ?"
            " WHERE source = ? AND item_id = ? AND resolved_at IS NULL RETURNING quarantine_id",
            [row.stage, row.error, row.url, row.raw_sha256, run_id, row.source, row.item_id],
        ).fetchall()
        if updated:
            continue
        con.execute(
            "INSERT INTO quarantine (quarantine_id, run_id, source, item_id, url, stage, error,"
            " raw_sha256, created_at, attempts, last_run)"
            " VALUES (nextval('quarantine_ids'), ?, ?, ?, ?, ?, ?, ?, now(), 1, ?)",
            [run_id, row.source, row.item_id, row.url, row.stage, row.error, row.raw_sha256, run_id],
        )


def _resolve_quarantine(con: duckdb.DuckDBPyConnection, run_id: int, items: list[ItemRecord]) -> int:
    """An item that settled loaded, unchanged or skipped is no longer in quarantine."""
    settled = [(i.source, i.item_id) for i in items if i.state in ("loaded", "unchanged", "skipped")]
    if not settled:
        return 0
    return len(con.execute(
        "UPDATE quarantine SET resolved_run = ?, resolved_at = now() WHERE resolved_at IS NULL"
        " AND (source, item_id) IN (SELECT unnest(?), unnest(?)) RETURNING quarantine_id",
        [run_id, [s for s, _ in settled], [i for _, i in settled]],
    ).fetchall())
