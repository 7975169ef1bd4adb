"""Fixtures of the fault-injection suite: the origin (the sample archive served as the live web)
and clean builds of the slices the tests break."""

from __future__ import annotations

import pytest

from extractors.archive import RawArchive
from extractors.limits import Limits, configure
from tests.faults.harness import scenario

MATRIX_SOURCES = ["hansard", "hansard_wms", "govuk"]
MATRIX_SETTINGS = {"max_response_bytes": 2 * 1024 * 1024, "load_batch_documents": 8}


@pytest.fixture(scope="session")
def origin(sample_archive) -> RawArchive:
    archive = RawArchive(sample_archive)
    yield archive
    archive.close()


@pytest.fixture(autouse=True)
def default_limits():
    """Each test starts (and leaves) the default limits in force."""
    previous = configure(Limits())
    yield
    configure(previous)


@pytest.fixture(scope="session")
def clean_matrix(tmp_path_factory, origin, prefect_harness):
    """The matrix slice (three sources, 2026) built once with no fault: the reference state."""
    from flows.nightly import nightly

    built = scenario(tmp_path_factory.mktemp("clean-matrix"), origin, MATRIX_SOURCES, **MATRIX_SETTINGS)
    with pytest.MonkeyPatch.context() as mp:
        built.install(mp)
        summary = nightly()
    configure(Limits())
    assert summary["status"] == "completed" and summary["totals"]["quarantined"] == 0
    assert summary["totals"]["failed_transient"] == 0 and summary["totals"]["loaded"] > 40
    return built, summary
