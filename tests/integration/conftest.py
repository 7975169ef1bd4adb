"""The sample warehouses: the nightly flow run once on the synthetic sample archive (with the keyword
baseline, or with labels that follow the archive's truth), then shared read-only."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest


def _nightly_on_the_sample(data: Path, sample_archive: Path, env: pytest.MonkeyPatch) -> dict:
    """Copy the sample archive into data/archive and run the nightly flow on it (replay, from 2016)."""
    from flows.nightly import nightly

    shutil.copytree(sample_archive, data / "archive")
    env.setenv("WHITEHALL_DATA_DIR", str(data))
    for name in ("WHITEHALL_DB", "WHITEHALL_ARCHIVE_DIR", "WHITEHALL_SEARCH_DIR"):
        env.delenv(name, raising=False)
    summary = nightly(transport="replay", since=date(2016, 1, 1))
    assert summary["status"] == "completed" and summary["published"]
    return summary


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory, sample_archive, prefect_harness):
    """A data folder holding the published sample warehouse and its search index (treat as read-only)."""
    data = tmp_path_factory.mktemp("sample-warehouse") / "data"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WHITEHALL_BASELINE", "true")  # the keyword baseline labels fast; the model has its own tests
        summary = _nightly_on_the_sample(data, sample_archive, env)
    assert summary["upkeep"]["search"]["rebuilt"] and not summary["upkeep"]["notes"]
    return data


@pytest.fixture(scope="session")
def oracle_warehouse(tmp_path_factory, sample_archive, prefect_harness) -> tuple[Path, dict]:
    """(data folder, nightly summary): the sample archive loaded by the nightly flow with labels that
    follow the archive's truth.jsonl (the bank oracle), trend tables refreshed. Treat as read-only."""
    from classifiers.registry import LoadedClassifier
    from sample_archive.oracle import SampleOracle

    data = tmp_path_factory.mktemp("oracle-warehouse") / "data"
    oracle = SampleOracle()
    with pytest.MonkeyPatch.context() as env:
        env.setattr("flows.runtime.load_classifier", lambda *a, **k: LoadedClassifier(
            oracle, "oracle", {"model_version": oracle.model_version, "kind": "oracle"}))
        summary = _nightly_on_the_sample(data, sample_archive, env)
    return data, summary
