"""The labels are defined once and must not drift from ../shared/CODEBOOK.md."""

from __future__ import annotations

import re

import pytest

from classifiers.codebook import CODEBOOK, CODEBOOK_VERSION, EXPLICIT_FLAG, FRAMES
from tests.conftest import SHARED

CODEBOOK_MD = SHARED / "CODEBOOK.md"


@pytest.fixture(scope="module")
def codebook_text() -> str:
    if not CODEBOOK_MD.exists():
        pytest.skip("../shared/CODEBOOK.md is absent")
    return CODEBOOK_MD.read_text(encoding="utf-8")


def test_version_matches(codebook_text):
    assert re.search(r"Version:\s*(\S+?)\.?\s", codebook_text).group(1) == CODEBOOK_VERSION


def test_frames_match_headings_and_trait_list(codebook_text):
    headed = re.findall(r"^### `(\w+)`", codebook_text, flags=re.MULTILINE)
    traits = re.findall(r"^- `(\w+)` \(", codebook_text, flags=re.MULTILINE)
    assert tuple(headed + traits) == FRAMES


def test_explicit_flag_and_terms(codebook_text):
    assert f"`{EXPLICIT_FLAG}`" in codebook_text
    for term in CODEBOOK.explicit_always:
        assert term.lower() in codebook_text.lower()


def test_contracts_vocabulary_matches(codebook_text):
    contracts = (SHARED / "CONTRACTS.md").read_text(encoding="utf-8")
    listed = re.search(r"\*\*Frames\*\* \(codebook `([^`]+)`\): (.*?)\. The separate", contracts, re.S)
    assert listed.group(1) == CODEBOOK_VERSION
    assert tuple(re.findall(r"`(\w+)`", listed.group(2))) == FRAMES
