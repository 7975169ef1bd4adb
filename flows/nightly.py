"""The nightly flow: discover → fetch → parse → classify → load, per source; refresh the trend
tables; publish."""

from __future__ import annotations

import errno
import logging
from contextlib import suppress
import time
from datetime import date

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.utilities.annotations import quote

from extractors.base import ItemRef
from extractors.vocab import ITEM_STATES
from flows import tasks
from flows.runtime import Runtime
from warehouse import health
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, outcomes_in_batches, read_watermark
from warehouse.ledger import (RunLedger, begin_run, finish_run, mark_interrupted, record_sources,
                              source_statuses)
from warehouse.publish import (WriteLock, clear_unpublished, mark_unpublished, prepare_work_db, publish,
                               remove_stale_temporaries)
from whitehall.settings import Settings

progress_log = logging.getLogger("whitehall.progress")


def ingest(runtime: Runtime, flow_name: str, since: date | None = None, now: date | None = None) -> dict:
    """Run every enabled source through the stages under the write lock; return the summary.

    `now` dates the silence alerts (default: today live, the newest document in replay).
    """
    logger = get_run_logger()
    settings = runtime.settings
    started = time.monotonic()
    with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
        remove_stale_temporaries(settings.db_path)
        work = prepare_work_db(settings.db_path)
        unpublished = mark_unpublished(settings.db_path)
        con = open_db(work)
        interrupted = mark_interrupted(con)
        run_id = begin_run(con, flow_name, settings.transport)
        ledger = RunLedger(run_id)
        if interrupted:
            ledger.notes.append(f"run(s) {', '.join(map(str, interrupted))} ended without finishing (killed); "
                                "their committed batches are kept and this run goes on from the watermark")
        failures: dict[str, str] = {}
        try:
            _run_sources(runtime, con, ledger, failures, since, logger)
            ledger.notes.extend(f"source {s} failed: {e}" for s, e in failures.items())
            ledger.reconcile()
            trends, upkeep = tasks.after_loading(con, ledger.notes, settings.search_path,
                                                  settings.embed_missing, ledger.touched_passages)
        except BaseException as exc:
            error = describe_failure(exc)
            with suppress(Exception):  # the disk may be full: record what can be recorded
                record_sources(con, ledger, source_statuses(ledger, list(runtime.extractors), failures, error))
                finish_run(con, ledger, "failed", error=error)
            with suppress(Exception):
                con.close()
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "No space left" in str(exc):
                raise DiskFullError(errno.ENOSPC, error) from exc
            raise
        statuses = source_statuses(ledger, list(runtime.extractors), failures)
        record_sources(con, ledger, statuses)
        status = "completed" if not failures else "completed_with_errors"
        finish_run(con, ledger, status)
        alerts = health.check(con, list(runtime.extractors), now or health.as_of(con, settings.transport == "replay"),
                              runtime.thresholds)
        counts = ledger.counts()
        changed = (counts["loaded"] > 0 or counts["quarantined"] > 0 or ledger.resolved > 0
                   or bool(trends.quarters) or upkeep.embedded > 0
                   or unpublished or not settings.db_path.exists())
        con.execute("CHECKPOINT")
        con.close()
        published_at = time.monotonic()
        if changed:
            publish(work, settings.db_path)
        clear_unpublished(settings.db_path)
        publish_s = time.monotonic() - published_at
    summary = {
        "run_id": run_id,
        "status": status,
        "totals": counts,
        "by_source": ledger.by_source(),
        "skip_reasons": ledger.skip_reasons(),
        "passages_loaded": ledger.passages_loaded,
        "passages_removed": ledger.passages_removed,
        "published": changed,
        "trend_quarters_refreshed": len(trends.quarters),
        "upkeep": upkeep.as_dict(),
        "failures": failures,
        "notes": ledger.notes,
        "alerts": [a.to_json() for a in alerts],
        "source_status": {src: {"status": st, "error": err} for src, (st, err) in statuses.items()},
        "seconds": round(time.monotonic() - started, 3),  # inside the flow: Prefect start-up excluded
        "publish_seconds": round(publish_s, 3),  # the snapshot copy: O(warehouse size) when anything changed
    }
    for alert in alerts:
        logger.warning("ALERT %s", alert.message)
    summary["notify_failures"] = runtime.notifiers.send(alerts, {"run_id": run_id, "flow": flow_name,
                                                                  "status": status})
    _artifacts(summary, flow_name)
    return summary


def _run_sources(runtime: Runtime, con, ledger: RunLedger, failures: dict[str, str],
                 since: date | None, logger) -> None:
    settings = runtime.settings
    for source, extractor in runtime.extractors.items():
        watermark = read_watermark(con, source)
        start = extractor.cursor_from_date(since) if since else watermark
        try:
            refs = unique_refs(tasks.discover(extractor, runtime.client, start), ledger.notes)
        except Exception as exc:  # one failing source must not stop the others
            failures[source] = f"{type(exc).__name__}: {exc}"
            logger.error("source %s failed at discovery: %s", source, exc)
            continue
        ledger.discover(source, len(refs))
        _collect_notes(extractor, ledger)
        progress = SourceProgress(source, watermark)
        logger.info("%s: %d items discovered after %s", source, len(refs), start or "the beginning")
        done = 0
        progress_log.info("%s", source, extra={"source": source, "done": 0, "total": len(refs)})
        for batch_refs in outcomes_in_batches(refs, settings.load_batch_documents):
            outcomes = tasks.fetch_and_parse(extractor, runtime.client, quote(batch_refs))
            tasks.label_and_load(con, ledger, progress, outcomes, runtime.model)
            done += len(batch_refs)
            progress_log.info("%s", source, extra={"source": source, "done": done, "total": len(refs)})
        _collect_notes(extractor, ledger)  # notes made while parsing (members data, say)


def unique_refs(refs: list[ItemRef], notes: list[str]) -> list[ItemRef]:
    """One ref per item (the latest cursor): a listing that repeats an item must not settle it twice."""
    chosen: dict[tuple[str, str], ItemRef] = {}
    for ref in refs:
        key = (ref.source, ref.item_id)
        if key not in chosen or ref.cursor > chosen[key].cursor:
            chosen[key] = ref
    if len(chosen) < len(refs):
        notes.append(f"{refs[0].source}: the listing repeated {len(refs) - len(chosen)} item(s); each is counted once")
    return sorted(chosen.values(), key=lambda r: r.cursor)


class DiskFullError(OSError):
    """The disk filled during the run: nothing of the unfinished batch was committed."""


def describe_failure(exc: BaseException) -> str:
    """The run's error, said plainly (a full disk is named as such)."""
    text = f"{type(exc).__name__}: {exc}"
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left" in str(exc):
        return ("disk full (No space left on device) during the run: the batch being written was rolled "
                "back, the watermark stays before it and the published snapshot is unchanged; free "
                f"space and run again ({text})")
    return text


def _collect_notes(extractor, ledger: RunLedger) -> None:
    for note in getattr(extractor, "notes", []):
        if note not in ledger.notes:
            ledger.notes.append(note)


def _artifacts(summary: dict, flow_name: str) -> None:
    rows = []
    for source, state in summary["source_status"].items():
        counts = summary["by_source"].get(source, {"discovered": 0, **{s: 0 for s in ITEM_STATES}})
        rows.append({"source": source, "status": state["status"], **counts,
                     "reconciles": counts["discovered"] == sum(counts[s] for s in ITEM_STATES)})
    totals = summary["totals"]
    rows.append({"source": "all", "status": summary["status"], **totals,
                 "reconciles": totals["discovered"] == sum(totals[s] for s in ITEM_STATES)})
    create_table_artifact(
        key=f"{flow_name}-run-counts",
        table=rows,
        description=(f"Run {summary['run_id']} ({summary['status']}): per-item states reconcile "
                     "(discovered = " + " + ".join(ITEM_STATES) + ")"),
    )
    if summary["failures"] or summary["totals"]["quarantined"] or summary["alerts"]:
        lines = [f"- **{s}** failed: {e}" for s, e in summary["failures"].items()]
        lines.append(f"- {summary['totals']['quarantined']} items quarantined (`whitehall quarantine list`)")
        lines.extend(f"- ALERT ({a['kind']}): {a['message']}" for a in summary["alerts"])
        create_markdown_artifact(key=f"{flow_name}-problems", markdown="\n".join(lines),
                                 description="Sources that failed and items quarantined")


@flow(name="nightly", log_prints=True)
def nightly(transport: str | None = None, since: date | None = None,
            sources: list[str] | None = None) -> dict:
    """Collect what is new since the watermark from every enabled source and load it."""
    overrides = {k: v for k, v in {"transport": transport, "sources": sources}.items() if v}
    settings = Settings(**overrides)
    runtime = Runtime.build(settings)
    try:
        return ingest(runtime, "nightly", since=since)
    finally:
        runtime.close()
