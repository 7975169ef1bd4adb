"""Prefect tasks: each wraps one library call. Only the I/O tasks retry.

Callers wrap batch-sized arguments in `prefect.utilities.annotations.quote`: Prefect otherwise
walks every element of a parameter (each passage of each document) to resolve futures and to
record task inputs, which cost more than the work itself (see benchmarks/PROFILE.md).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from prefect import task
from prefect.cache_policies import NONE

from classifiers.base import Classifier
from extractors.acquire import Outcome, acquire
from extractors.base import Extractor, ItemRef
from extractors.http import HttpClient
from warehouse.ingest import BatchPlan, SourceProgress, commit_batch, label_batch, plan_batch
from warehouse.ledger import RunLedger


@task(name="discover", retries=2, retry_delay_seconds=[10, 60], cache_policy=NONE)
def discover(extractor: Extractor, client: HttpClient, since: str | None) -> list[ItemRef]:
    return extractor.discover(client, since)


@task(name="fetch-and-parse", cache_policy=NONE)
def fetch_and_parse(extractor: Extractor, client: HttpClient, refs: list[ItemRef],
                    workers: int = 4) -> list[Outcome]:
    """Fetch (threads: I/O-bound) and parse a batch; item failures become outcomes, not errors.

    Retries happen per request inside the HTTP client, so this task itself does not retry.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda ref: acquire(extractor, client, ref), refs))


@task(name="plan", cache_policy=NONE)
def plan(con, outcomes: list[Outcome], model_version: str) -> BatchPlan:
    return plan_batch(con, outcomes, model_version)


@task(name="classify", cache_policy=NONE)
def classify(batch: BatchPlan, classifier: Classifier) -> dict:
    return label_batch(batch, classifier)


@task(name="load", cache_policy=NONE)
def load(con, ledger: RunLedger, progress: SourceProgress, batch: BatchPlan, predictions: dict) -> None:
    commit_batch(con, ledger, progress, batch, predictions)
