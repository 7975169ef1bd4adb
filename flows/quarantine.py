"""Retry quarantined items with the current code: re-parse the archived raw bytes (or fetch again),
then classify and load what now parses, resolving its quarantine row, all as one accounted run.

The retry never moves a watermark (the items lie behind it already), and an item that fails
again keeps its one open quarantine row with the new error and one more attempt.
"""

from __future__ import annotations

from contextlib import suppress

from prefect import flow, get_run_logger

from extractors.acquire import Outcome, acquire, parse_raw, prepare
from extractors.base import ItemRef, RawItem
from extractors.registry import FACTORIES, build_extractors
from flows import tasks
from flows.nightly import describe_failure
from flows.runtime import Runtime
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, read_watermark
from warehouse.ledger import RunLedger, begin_run, finish_run, mark_interrupted, record_sources, source_statuses
from warehouse.publish import (WriteLock, clear_unpublished, mark_unpublished, prepare_work_db, publish,
                               remove_stale_temporaries)
from warehouse.quarantine import QuarantinedItem, list_items
from whitehall.settings import Settings


def retry_outcome(runtime: Runtime, extractor, item: QuarantinedItem, refetch: bool) -> Outcome:
    """The item through the pipeline again: archived bytes when there are some, else a fetch."""
    ref = ItemRef(item.source, item.item_id, item.url or "", item.cursor or "")
    if item.raw_sha256 and not refetch and runtime.archive.has(item.raw_sha256):
        raw = RawItem(ref, runtime.archive.read(item.raw_sha256), item.raw_sha256)
        prepare(extractor, runtime.client, raw)
        return parse_raw(extractor, raw)
    return acquire(extractor, runtime.client, ref, prepared=True)


def retry(runtime: Runtime, ids: list[int] | None = None, source: str | None = None,
          refetch: bool = False) -> dict:
    """Retry the open quarantine rows chosen (all when neither ids nor source is given)."""
    logger = get_run_logger()
    settings = runtime.settings
    with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
        remove_stale_temporaries(settings.db_path)
        work = prepare_work_db(settings.db_path)
        unpublished = mark_unpublished(settings.db_path)
        con = open_db(work)
        mark_interrupted(con)
        latest = {(i.source, i.item_id): i for i in list_items(con, source=source, ids=ids)}
        items = list(latest.values())  # rows from before migration 015 may repeat an item
        retriable = [i for i in items if i.source in FACTORIES]
        not_retriable = [i for i in items if i.source not in FACTORIES]
        run_id = begin_run(con, "quarantine-retry", settings.transport)
        ledger = RunLedger(run_id)
        results: dict[int, str] = {}
        try:
            by_source: dict[str, list[QuarantinedItem]] = {}
            for item in retriable:
                by_source.setdefault(item.source, []).append(item)
            for name, chosen in by_source.items():
                extractor = runtime.extractors.get(name) or build_extractors([name])[name]
                ledger.discover(name, len(chosen))
                outcomes = [retry_outcome(runtime, extractor, item, refetch) for item in chosen]
                progress = SourceProgress(name, read_watermark(con, name), blocked=True)  # never moves
                tasks.label_and_load(con, ledger, progress, outcomes, runtime.model)
                for item in chosen:
                    results[item.quarantine_id] = ledger.records[(name, item.item_id)].state
            ledger.reconcile()
            tasks.after_loading(con, ledger.notes, settings.search_path, settings.embed_missing,
                                ledger.touched_passages)
        except BaseException as exc:
            error = describe_failure(exc)
            with suppress(Exception):
                record_sources(con, ledger, source_statuses(ledger, list(by_source), {}, error))
                finish_run(con, ledger, "failed", error=error)
            with suppress(Exception):
                con.close()
            raise
        record_sources(con, ledger, source_statuses(ledger, list(by_source), {}))
        finish_run(con, ledger, "completed")
        counts = ledger.counts()
        changed = counts["loaded"] > 0 or ledger.resolved > 0 or counts["quarantined"] > 0 or unpublished
        con.execute("CHECKPOINT")
        con.close()
        if changed:
            publish(work, settings.db_path)
        clear_unpublished(settings.db_path)
    logger.info("quarantine retry: %s", counts)
    return {"run_id": run_id, "totals": counts, "by_source": ledger.by_source(), "results": results,
            "resolved": ledger.resolved, "published": changed,
            "not_retriable": {i.quarantine_id: f"{i.source}: no extractor re-reads it; fix the input and "
                                               "load it again" for i in not_retriable}}


@flow(name="quarantine-retry", log_prints=True)
def quarantine_retry(ids: list[int] | None = None, source: str | None = None, refetch: bool = False,
                     transport: str | None = None) -> dict:
    """Retry quarantined items with the current code and load those that now parse."""
    settings = Settings(**({"transport": transport} if transport else {}))
    runtime = Runtime.build(settings)
    try:
        return retry(runtime, ids=ids, source=source, refetch=refetch)
    finally:
        runtime.close()
