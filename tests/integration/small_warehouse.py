"""A warehouse built from the sample archive straight through the loader (no Prefect), labelled
by the keyword baseline standing in for the trained model: fast and deterministic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from classifiers.keywords import KeywordClassifier
from extractors.acquire import acquire
from extractors.archive import RawArchive
from extractors.http import HttpClient
from extractors.registry import SOURCES, build_extractors
from warehouse.db import open_db
from warehouse.ingest import (
    SourceProgress,
    commit_batch,
    label_batch,
    outcomes_in_batches,
    plan_batch,
)
from warehouse.ledger import RunLedger, begin_run, finish_run
from warehouse.model_registry import register_model


def build_warehouse(archive_dir: Path, db_path: Path, since: date = date(2016, 1, 1)) -> Path:
    """Discover, fetch, parse, label and load every sample source into db_path; one run."""
    archive = RawArchive(archive_dir)
    client = HttpClient.replay(archive, user_agent="whitehall-tests")
    classifier = KeywordClassifier()
    con = open_db(db_path)
    try:
        register_model(con, classifier.model_version, classifier.codebook_version, "keywords",
                       {"model_version": classifier.model_version, "kind": "keywords"})
        ledger = RunLedger(begin_run(con, "test-load", "replay"))
        for source, extractor in build_extractors(SOURCES).items():
            refs = extractor.discover(client, extractor.cursor_from_date(since))
            ledger.discover(source, len(refs))
            progress = SourceProgress(source, None)
            for refs_batch in outcomes_in_batches(refs, 200):
                batch = plan_batch(con, [acquire(extractor, client, r) for r in refs_batch],
                                   classifier.model_version)
                commit_batch(con, ledger, progress, batch, label_batch(batch, classifier))
        ledger.reconcile()
        finish_run(con, ledger, "completed")
        con.execute("CHECKPOINT")
    finally:
        con.close()
        client.close()
        archive.close()
    return db_path
