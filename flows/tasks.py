"""Prefect tasks: each wraps one library call. Only the I/O tasks retry.

Callers wrap batch-sized arguments in `prefect.utilities.annotations.quote`: Prefect otherwise
walks every element of a parameter (each passage of each document) to resolve futures and to
record task inputs, which cost more than the work itself (see benchmarks/PROFILE.md).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE
from prefect.utilities.annotations import quote

from classifiers.base import Classifier
from classifiers.registry import LoadedClassifier
from extractors.acquire import Outcome, acquire
from extractors.base import Extractor, ItemRef
from extractors.http import HttpClient
from warehouse.embeddings import store_prediction_vectors
from warehouse.ingest import BatchPlan, SourceProgress, commit_batch, label_batch, plan_batch
from warehouse.ledger import RunLedger
from warehouse.model_registry import register_model
from warehouse.trends.refresh import RefreshSummary, refresh_trends
from warehouse.upkeep import UpkeepResult, after_load


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


@task(name="refresh-trends", cache_policy=NONE)
def refresh(con) -> RefreshSummary:
    """Recompute the trend tables for what the load changed (warehouse/METHODS.md)."""
    return refresh_trends(con)


@task(name="store-vectors", cache_policy=NONE)
def store_vectors(con, predictions: dict, classifier: Classifier) -> int:
    return store_prediction_vectors(con, predictions, classifier)


@task(name="upkeep", cache_policy=NONE)
def upkeep(con, search_dir: Path, embed_missing: bool, changed: bool = True) -> UpkeepResult:
    """The search index, and (when enabled) embeddings for passages that lack one."""
    from classifiers.encoder import SentenceTransformerEncoder

    return after_load(con, search_dir, SentenceTransformerEncoder if embed_missing else None, changed=changed)


def label_and_load(con, ledger: RunLedger, progress: SourceProgress, outcomes: list[Outcome],
                   model: LoadedClassifier) -> None:
    """One batch through plan → classify → load, keeping the vectors the classifier computed.

    The model is registered (idempotently) only once it has labelled, so a broken model never
    becomes current. Batch-sized arguments are quoted: Prefect would otherwise walk every passage
    to resolve and record task inputs.
    """
    classifier = model.classifier
    batch = plan(con, quote(outcomes), classifier.model_version)
    predictions = classify(quote(batch), classifier)
    register_model(con, classifier.model_version, classifier.codebook_version, model.kind, model.card)
    load(con, quote(ledger), quote(progress), quote(batch), quote(predictions))
    store_vectors(con, quote(predictions), classifier)


def after_loading(con, notes: list[str], search_dir: Path, embed_missing: bool,
                  changed: bool = True) -> tuple[RefreshSummary, UpkeepResult]:
    """The derived data every loading flow keeps current: trend tables, search index, vectors.

    `changed=False` says the run loaded, removed and relabelled nothing, so the search index
    and embeddings are left alone (the trend refresh tracks its own changes)."""
    trends = refresh(con)
    kept = upkeep(con, search_dir, embed_missing, changed)
    notes.extend(kept.notes)
    return trends, kept
