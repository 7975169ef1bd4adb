"""The backfill flow: a date range, mapped over source × month, loaded by one writer.

Discovery runs once per source in the flow; the items of each month (by cursor) are fetched
and parsed by a mapped task on the configured task runner (threads, or Dask workers: see
flows/runners.py). DuckDB has one writer, so the flow itself plans, classifies and loads the
months in order, as the nightly does; a bounded window of months is in flight at a time, so
memory does not grow with the range. The warehouse ends the same whichever runner ran it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from dataclasses import asdict
from datetime import date

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import get_run_context

from extractors.acquire import Outcome, acquire
from extractors.archive import RawArchive
from extractors.base import Extractor, ItemRef
from extractors.http import HttpClient
from flows import tasks
from flows.runners import result_storage, task_runner
from flows.runtime import Runtime
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, outcomes_in_batches, read_watermark
from warehouse.ledger import RunLedger, begin_run, finish_run
from warehouse.publish import WriteLock, prepare_work_db, publish
from whitehall.settings import Settings

_CLIENTS: dict[tuple, HttpClient] = {}


def months(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s."""
    out, day = [], first.replace(day=1)
    while day <= last:
        out.append(day)
        day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return out


def month_buckets(extractor: Extractor, refs: list[ItemRef], first: date, last: date) -> list[tuple[date, list[ItemRef]]]:
    """Refs grouped by the month their cursor falls in (cursors of a source sort as strings)."""
    starts = months(first, last)
    bounds = [extractor.cursor_from_date(m) for m in starts[1:]]
    end = extractor.cursor_from_date(_next_day(last))
    buckets: list[list[ItemRef]] = [[] for _ in starts]
    for ref in refs:
        if ref.cursor >= end:
            continue
        index = sum(1 for b in bounds if ref.cursor >= b)
        buckets[index].append(ref)
    return [(m, b) for m, b in zip(starts, buckets) if b]


def _next_day(day: date) -> date:
    from datetime import timedelta

    return day + timedelta(days=1)


def worker_client(settings: Settings) -> HttpClient:
    """One archive and HTTP client per worker process (built there: neither travels)."""
    key = (str(settings.archive_path), settings.transport)
    if key not in _CLIENTS:
        archive = RawArchive(settings.archive_path)
        _CLIENTS[key] = (HttpClient.replay(archive, user_agent=settings.http_user_agent)
                         if settings.transport == "replay" else
                         HttpClient(archive, user_agent=settings.http_user_agent,
                                    requests_per_second=settings.requests_per_second,
                                    timeout_s=settings.http_timeout_s, retries=settings.http_retries,
                                    max_bytes=settings.max_response_bytes))
    return _CLIENTS[key]


@task(name="fetch-and-parse-month", cache_policy=NONE)
def fetch_parse_month(settings: Settings, extractor: Extractor, source: str, month: date,
                      refs: str) -> list[Outcome]:
    """Fetch and parse one source-month (runs on a worker); failures become outcomes.

    The refs travel as JSON text: Dask rewrites containers found in task arguments into its
    own task tuples, so ItemRef objects (or dicts) arrive as bare tuples on a worker.
    """
    client = worker_client(settings)
    return [acquire(extractor, client, ItemRef(**ref)) for ref in json.loads(refs)]


def _month_key(context, parameters) -> str:
    digest = hashlib.sha256(parameters["refs"].encode()).hexdigest()
    run = get_run_context().task_run.flow_run_id if get_run_context() else "none"
    return f"backfill-{run}-{parameters['source']}-{parameters['month']}-{digest[:16]}"


def _mapped_task(settings: Settings):
    storage = result_storage(settings)
    if storage is None:
        return fetch_parse_month
    # Results persisted on shared storage, keyed within the flow run: a retried run reuses
    # the months already parsed, and any machine of the cluster can read them.
    return fetch_parse_month.with_options(persist_result=True, result_storage=storage,
                                          cache_key_fn=_month_key, cache_policy=None)


def _prepare(extractor: Extractor) -> None:
    """Read, in the flow, the reference data parsing needs, so that workers get it with the extractor."""
    getattr(extractor, "members", None)  # ParlParse: members data (a property that loads them)


def run_backfill(runtime: Runtime, first: date, last: date, window: int = 8) -> dict:
    """Discover per source, map months over the task runner, load in order in this process."""
    logger = get_run_logger()
    settings = runtime.settings
    started = time.monotonic()
    mapped = _mapped_task(settings)
    with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
        work = prepare_work_db(settings.db_path)
        con = open_db(work)
        run_id = begin_run(con, "backfill", settings.transport)
        ledger = RunLedger(run_id)
        failures: dict[str, str] = {}
        try:
            jobs = []
            for source, extractor in runtime.extractors.items():
                try:
                    refs = tasks.discover(extractor, runtime.client, extractor.cursor_from_date(first))
                except Exception as exc:
                    failures[source] = f"{type(exc).__name__}: {exc}"
                    logger.error("source %s failed at discovery: %s", source, exc)
                    continue
                buckets = month_buckets(extractor, refs, first, last)
                ledger.discover(source, sum(len(b) for _, b in buckets))
                if buckets:
                    _prepare(extractor)
                jobs += [(source, extractor, month, bucket) for month, bucket in buckets]
                logger.info("%s: %d items in %d months", source, sum(len(b) for _, b in buckets), len(buckets))
            progress = {s: SourceProgress(s, read_watermark(con, s)) for s in runtime.extractors}
            pending: deque = deque()
            queue = deque(jobs)
            while queue or pending:
                while queue and len(pending) < window:  # a bounded window of months in flight
                    source, extractor, month, refs = queue.popleft()
                    pending.append((source, extractor, mapped.submit(settings, extractor, source, month, json.dumps([asdict(r) for r in refs]))))
                source, extractor, future = pending.popleft()
                outcomes = future.result()
                for batch_outcomes in outcomes_in_batches(outcomes, settings.load_batch_documents):
                    tasks.label_and_load(con, ledger, progress[source], batch_outcomes, runtime.model)
            for extractor in runtime.extractors.values():
                ledger.notes.extend(n for n in getattr(extractor, "notes", []) if n not in ledger.notes)
            ledger.notes.extend(f"source {s} failed: {e}" for s, e in failures.items())
            ledger.reconcile()
            trends, upkeep = tasks.after_loading(con, ledger.notes, settings.search_path, settings.embed_missing,
                                                  ledger.touched_passages)
        except BaseException as exc:
            finish_run(con, ledger, "failed", error=f"{type(exc).__name__}: {exc}")
            con.close()
            raise
        status = "completed" if not failures else "completed_with_errors"
        finish_run(con, ledger, status)
        counts = ledger.counts()
        changed = (counts["loaded"] > 0 or counts["quarantined"] > 0 or bool(trends.quarters)
                   or upkeep.embedded > 0 or not settings.db_path.exists())
        con.execute("CHECKPOINT")
        con.close()
        if changed:
            publish(work, settings.db_path)
    return {"run_id": run_id, "status": status, "totals": counts, "by_source": ledger.by_source(),
            "passages_loaded": ledger.passages_loaded, "published": changed, "failures": failures,
            "notes": ledger.notes, "months": len(jobs), "task_runner": settings.task_runner,
            "seconds": round(time.monotonic() - started, 3)}


@flow(name="backfill-range", log_prints=True)
def _backfill(first: date, last: date, settings: Settings) -> dict:
    runtime = Runtime.build(settings)
    try:
        return run_backfill(runtime, first, last)
    finally:
        runtime.close()


def backfill(date_from: date, date_to: date, transport: str | None = None,
             sources: list[str] | None = None) -> dict:
    """Load every item of the sources whose cursor falls in the range, on the configured runner."""
    overrides = {k: v for k, v in {"transport": transport, "sources": sources}.items() if v}
    settings = Settings(**overrides)
    return _backfill.with_options(task_runner=task_runner(settings))(date_from, date_to, settings)
