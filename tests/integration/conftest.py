"""The sample warehouse: the nightly flow run once on the synthetic sample archive, then shared read-only."""

from __future__ import annotations

import shutil
from datetime import date

import pytest


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory, sample_archive, prefect_harness):
    """A data folder holding the published sample warehouse and its search index (treat as read-only)."""
    from flows.nightly import nightly

    data = tmp_path_factory.mktemp("sample-warehouse") / "data"
    shutil.copytree(sample_archive, data / "archive")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WHITEHALL_DATA_DIR", str(data))
        for name in ("WHITEHALL_DB", "WHITEHALL_ARCHIVE_DIR", "WHITEHALL_SEARCH_DIR"):
            env.delenv(name, raising=False)
        env.setenv("WHITEHALL_BASELINE", "true")  # the keyword baseline labels fast; the model has its own tests
        summary = nightly(transport="replay", since=date(2016, 1, 1))
    assert summary["status"] == "completed" and summary["published"]
    assert summary["upkeep"]["search"]["rebuilt"] and not summary["upkeep"]["notes"]
    return data
