"""The nightly flow: discover → fetch → parse → classify → load, per source, then publish."""

from __future__ import annotations

import logging
import time
from datetime import date

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.utilities.annotations import quote

from extractors.vocab import ITEM_STATES
from flows import tasks
from flows.runtime import Runtime
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, outcomes_in_batches, read_watermark
from warehouse.ledger import RunLedger, begin_run, finish_run
from warehouse.model_registry import register_model
from warehouse.publish import WriteLock, prepare_work_db, publish
from whitehall.settings import Settings

progress_log = logging.getLogger("whitehall.progress")


def ingest(runtime: Runtime, flow_name: str, since: date | None = None) -> dict:
    """Run every enabled source through the stages under the write lock; return the summary."""
    logger = get_run_logger()
    settings = runtime.settings
    started = time.monotonic()
    with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
        work = prepare_work_db(settings.db_path)
        con = open_db(work)
        run_id = begin_run(con, flow_name, settings.transport)
        ledger = RunLedger(run_id)
        failures: dict[str, str] = {}
        model_registered = False
        try:
            for source, extractor in runtime.extractors.items():
                watermark = read_watermark(con, source)
                start = extractor.cursor_from_date(since) if since else watermark
                try:
                    refs = tasks.discover(extractor, runtime.client, start)
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
                    model = runtime.model
                    if not model_registered:
                        register_model(con, model.classifier.model_version,
                                       model.classifier.codebook_version, model.kind, model.card)
                        model_registered = True
                    batch = tasks.plan(con, quote(outcomes), model.classifier.model_version)
                    predictions = tasks.classify(quote(batch), model.classifier)
                    tasks.load(con, quote(ledger), quote(progress), quote(batch), quote(predictions))
                    done += len(batch_refs)
                    progress_log.info("%s", source, extra={"source": source, "done": done, "total": len(refs)})
                _collect_notes(extractor, ledger)  # notes made while parsing (members data, say)
            ledger.notes.extend(f"source {s} failed: {e}" for s, e in failures.items())
            ledger.reconcile()
        except BaseException as exc:
            finish_run(con, ledger, "failed", error=f"{type(exc).__name__}: {exc}")
            con.close()
            raise
        status = "completed" if not failures else "completed_with_errors"
        finish_run(con, ledger, status)
        counts = ledger.counts()
        changed = counts["loaded"] > 0 or counts["quarantined"] > 0 or not settings.db_path.exists()
        con.execute("CHECKPOINT")
        con.close()
        published_at = time.monotonic()
        if changed:
            publish(work, settings.db_path)
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
        "failures": failures,
        "notes": ledger.notes,
        "seconds": round(time.monotonic() - started, 3),  # inside the flow: Prefect start-up excluded
        "publish_seconds": round(publish_s, 3),  # the snapshot copy: O(warehouse size) when anything changed
    }
    _artifacts(summary, flow_name)
    return summary


def _collect_notes(extractor, ledger: RunLedger) -> None:
    for note in getattr(extractor, "notes", []):
        if note not in ledger.notes:
            ledger.notes.append(note)


def _artifacts(summary: dict, flow_name: str) -> None:
    rows = [{"source": source, **counts} for source, counts in summary["by_source"].items()]
    rows.append({"source": "all", **summary["totals"]})
    create_table_artifact(
        key=f"{flow_name}-run-counts",
        table=rows,
        description=(f"Run {summary['run_id']} ({summary['status']}): per-item states reconcile "
                     "(discovered = " + " + ".join(ITEM_STATES) + ")"),
    )
    if summary["failures"] or summary["totals"]["quarantined"]:
        lines = [f"- **{s}** failed: {e}" for s, e in summary["failures"].items()]
        lines.append(f"- {summary['totals']['quarantined']} items quarantined (`whitehall quarantine list`)")
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
