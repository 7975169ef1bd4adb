"""Contract tests: the inquiry parser on the real Covid-19 Inquiry days in ../shared/fixtures/real/.

These two days are held back for evaluation: the tests read facts off them, nothing is tuned on them.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from extractors.inquiry import parse
from extractors.local_files import detect, parse_local

DIR = "evidence-inquiry-transcripts"


def _parse(real, day: str):
    path = real / DIR / f"uk-covid19-inquiry_module-2_{day}.rst"
    return parse(path.read_bytes(), path.name)


@pytest.mark.parametrize("day, passages, witnesses, speaker_share, role_share", [
    ("2023-10-31", 1147, {"Mr Lee Cain": ("special_adviser", 152), "Mr Dominic Cummings": ("special_adviser", 397)},
     1.0, 549 / 1147),
    ("2023-11-01", 780, {"Ms Helen MacNamara": ("official", 240), "Professor David Halpern": ("official", 141)},
     1.0, 381 / 780),
])
def test_hearing_day(real, day, passages, witnesses, speaker_share, role_share):
    document = _parse(real, day)
    assert document.document_id == f"inquiry:module-2/{day}"
    assert document.source_type == "committee_evidence" and document.date.isoformat() == day
    assert len(document.passages) == passages
    counts = Counter((p.speaker, p.role) for p in document.passages)
    for name, (role, n) in witnesses.items():
        assert counts[(name, role)] == n
    known = {p.speaker: p.role for p in document.passages if p.role != "unknown"}
    assert known == {name: role for name, (role, _) in witnesses.items()}  # counsel and the chair: unknown
    stem = f"uk-covid19-inquiry_module-2_{day}.rst"
    assert all(re.fullmatch(rf"{re.escape(stem)}:\d+:\d+", p.locator) for p in document.passages)
    n = len(document.passages)
    assert sum(1 for p in document.passages if p.speaker) / n == speaker_share
    assert sum(1 for p in document.passages if p.role != "unknown") / n == pytest.approx(role_share)
    assert len({p.passage_id for p in document.passages}) == n


def test_special_adviser_and_official_departments(real):
    cummings = next(p for p in _parse(real, "2023-10-31").passages if p.speaker == "Mr Dominic Cummings")
    assert cummings.department == "Prime Minister's Office" and cummings.speaker_id == "inquiry-witness:dominic-cummings"
    macnamara = next(p for p in _parse(real, "2023-11-01").passages if p.speaker == "Ms Helen MacNamara")
    assert macnamara.department == "Cabinet Office" and macnamara.party is None


def test_whitehall_parse_detects_an_inquiry_day(real):
    path = real / DIR / "uk-covid19-inquiry_module-2_2023-11-01.rst"
    assert detect(path.name, path.read_bytes()) == "inquiry"
    assert parse_local(path).document_id == "inquiry:module-2/2023-11-01"
