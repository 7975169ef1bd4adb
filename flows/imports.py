"""The import flow: a researcher's passage JSONL → validate → classify → load, like any source."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger

from extractors.acquire import Outcome
from extractors.base import ItemRef
from extractors.imported import default_name, parse_import
from flows import tasks
from flows.runtime import Runtime
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, outcomes_in_batches
from warehouse.ledger import RunLedger, begin_run, finish_run
from warehouse.publish import WriteLock, prepare_work_db, publish
from whitehall.settings import Settings


def outcomes_of(data: bytes, name: str, raw_sha256: str) -> tuple[str, list[Outcome]]:
    """(source, one outcome per non-blank line): parsed documents, or quarantined at 'validate'."""
    parsed = parse_import(data, name)
    outcomes = [Outcome(ItemRef(parsed.source, doc.item_id, doc.url, None), "parsed", document=doc,
                        raw_sha256=raw_sha256) for _, doc in parsed.documents]
    outcomes += [Outcome(ItemRef(parsed.source, p.item_id, None, None), "quarantined", raw_sha256=raw_sha256,
                         error=p.error, stage="validate") for p in parsed.problems]
    return parsed.source, outcomes


@flow(name="import", log_prints=True)
def import_passages(path: str, name: str | None = None) -> dict:
    """Load a researcher's passage JSONL under the source `import:NAME`."""
    logger = get_run_logger()
    settings = Settings()
    runtime = Runtime.build(settings)
    file = Path(path)
    data = file.read_bytes()
    raw_sha256 = runtime.archive.store(data)   # the file's bytes, kept for a retry of bad lines
    source, outcomes = outcomes_of(data, default_name(file) if name is None else name, raw_sha256)
    try:
        with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
            work = prepare_work_db(settings.db_path)
            con = open_db(work)
            run_id = begin_run(con, "import", None)
            ledger = RunLedger(run_id)
            ledger.discover(source, len(outcomes))
            try:
                progress = SourceProgress(source, None)
                for batch in outcomes_in_batches(outcomes, settings.load_batch_documents):
                    tasks.label_and_load(con, ledger, progress, batch, runtime.model)
                ledger.reconcile()
                supersede_quarantine(con, source, run_id)
                trends, _ = tasks.after_loading(con, ledger.notes, settings.search_path, settings.embed_missing,
                                                ledger.touched_passages)
            except BaseException as exc:
                finish_run(con, ledger, "failed", error=f"{type(exc).__name__}: {exc}")
                con.close()
                raise
            finish_run(con, ledger, "completed")
            con.execute("CHECKPOINT")
            con.close()
            publish(work, settings.db_path)
    finally:
        runtime.close()
    counts = ledger.counts()
    logger.info("import %s: %s", source, counts)
    return {"run_id": run_id, "source": source, "totals": counts,
            "passages_loaded": ledger.passages_loaded, "passages_removed": ledger.passages_removed,
            "problems": [o.error for o in outcomes if o.state == "quarantined"],
            "trend_quarters_refreshed": len(trends.quarters)}


def supersede_quarantine(con, source: str, run_id: int) -> None:
    """An import validates the whole file again: open rows this run did not see again are resolved
    (a line still bad keeps its one open row, updated by the load with this run and its attempt)."""
    con.execute("UPDATE quarantine SET resolved_run = ?, resolved_at = now() WHERE source = ? "
                "AND resolved_at IS NULL AND coalesce(last_run, run_id) < ?", [run_id, source, run_id])
