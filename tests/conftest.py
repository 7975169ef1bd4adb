"""Shared fixtures: the real fixture folder, a built sample archive, isolated settings."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "fixtures" / "real"
CORPUS = SHARED / "corpora" / "covid-inquiry-module-2"
RECORDED = Path(__file__).parent / "fixtures"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def real() -> Path:
    """../shared/fixtures/real; the contract tests skip cleanly when it is absent."""
    if not REAL.is_dir():
        pytest.skip("../shared/fixtures/real is absent (real-file contract tests skipped)")
    return REAL


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpora is absent (tests on the real corpus skipped)")
    return CORPUS


@pytest.fixture(scope="session")
def sample_archive(tmp_path_factory) -> Path:
    """The synthetic sample archive, built once per session (read-only: copy before writing)."""
    from sample_archive.generate import build

    target = tmp_path_factory.mktemp("sample") / "archive"
    build(target)
    return target


@pytest.fixture
def data_dir(tmp_path, sample_archive, monkeypatch) -> Path:
    """An isolated WHITEHALL_DATA_DIR holding a private copy of the sample archive."""
    data = tmp_path / "data"
    shutil.copytree(sample_archive, data / "archive")
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(data))
    monkeypatch.delenv("WHITEHALL_DB", raising=False)
    monkeypatch.delenv("WHITEHALL_ARCHIVE_DIR", raising=False)
    monkeypatch.setenv("WHITEHALL_TRANSPORT", "replay")
    # Whole-archive flow tests label with the keyword baseline (fast); tests of the trained
    # model's path through the flow unset this.
    monkeypatch.setenv("WHITEHALL_BASELINE", "true")
    return data


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test harness for the session (its set-up costs several seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
