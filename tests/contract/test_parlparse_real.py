"""Contract tests: the ParlParse parser on the real files in ../shared/fixtures/real/hansard/."""

from __future__ import annotations

import pytest

from extractors.errors import SkipItem
from extractors.members import Members
from extractors.parlparse import gid_redirects, parse_changedates, parse_sitting


@pytest.fixture(scope="module")
def members_2009(real) -> Members:
    members = Members()
    members.add_legacy_people_xml((real / "hansard/members/legacy/people.xml").read_bytes())
    members.add_ministers_json((real / "hansard/members/ministers.json").read_bytes())
    return members


def _parse(real, relative: str, members: Members | None = None):
    path = real / "hansard" / relative
    return parse_sitting(path.read_bytes(), path.name, members)


def test_2023_debate_has_the_civil_service_blob_passage_with_speaker(real):
    doc = _parse(real, "parlparse-2023/debates2023-03-28d.xml")
    assert doc.document_id == "hansard:debates/2023-03-28"
    assert doc.date.isoformat() == "2023-03-28"
    blob = [p for p in doc.passages if "civil service blob" in p.text]
    assert len(blob) == 1
    passage = blob[0]
    assert passage.speaker == "Stephen Kinnock"
    assert passage.speaker_id == "uk.org.publicwhip/person/25297"
    assert passage.locator == "debates2023-03-28d.xml:uk.org.publicwhip/debate/2023-03-28d.889.3:d889.3/18"
    assert passage.url == "https://www.theyworkforyou.com/debates/?id=2023-03-28d.889.3"
    assert passage.context  # the sentences before it
    # People data for 2023 are not among the fixtures: role unknown, party NULL, never guessed.
    assert passage.role == "unknown" and passage.party is None


def test_2023_debate_counts_and_coverage(real):
    doc = _parse(real, "parlparse-2023/debates2023-03-28d.xml")
    assert len(doc.passages) == 1431
    assert all(p.speaker and p.speaker_id.startswith("uk.org.publicwhip/person/") for p in doc.passages)
    first = doc.passages[0]
    assert (first.speaker, first.speaker_id) == ("Andrew Western", "uk.org.publicwhip/person/26120")
    assert first.text.startswith("What steps his Department is taking")
    # procedural text (nospeaker, motion text, italic stage directions) is dropped
    assert not any(p.text == "The Secretary of State was asked—" for p in doc.passages)
    assert not any("Humble Address" in p.text for p in doc.passages)
    assert len({p.passage_id for p in doc.passages}) == len(doc.passages)


@pytest.mark.parametrize("relative, passages, first_speaker", [
    ("parlparse-2009/debates/debates2009-10-28c.xml", 1023, "Andrew Turner"),
    ("parlparse-2009/debates/debates2009-10-27d.xml", 837, None),
    ("parlparse-2009/debates/debates2009-10-26b.xml", 939, None),
    ("parlparse-2009/westminhall/westminster2009-10-29a.xml", 220, None),
    ("parlparse-2009/lordspages/daylord2009-10-27a.xml", 432, None),
    ("parlparse-2009/wms/ministerial2009-10-27a.xml", 62, None),
    ("parlparse-2009/lordswms/lordswms2009-10-27a.xml", 58, None),
])
def test_2009_era_files_parse_with_people_resolved(real, members_2009, relative, passages, first_speaker):
    doc = _parse(real, relative, members_2009)
    assert len(doc.passages) == passages
    if first_speaker:
        assert doc.passages[0].speaker == first_speaker
    # every speaker id of the 2009 era resolves through people.xml to a person id
    with_person = [p for p in doc.passages if p.speaker_id and "/person/" in p.speaker_id]
    assert len(with_person) / len(doc.passages) > 0.98
    assert all(p.speaker for p in doc.passages)


def test_2009_roles_come_from_ministerial_offices(real, members_2009):
    doc = _parse(real, "parlparse-2009/debates/debates2009-10-28c.xml", members_2009)
    roles = {p.role for p in doc.passages}
    assert {"minister", "shadow_minister"} <= roles
    # without the people file nobody is called a backbencher: that would be a guess
    assert "backbench_mp" not in roles
    minister = next(p for p in doc.passages if p.role == "minister")
    assert minister.department  # the office's department


def test_2009_entities_decode(real):
    doc = _parse(real, "parlparse-2009/debates/debates2009-10-28c.xml")
    text = " ".join(p.text for p in doc.passages)
    assert "—" in text or "–" in text  # &mdash; / &ndash; from the internal DTD
    assert "&mdash;" not in text


def test_superseded_file_is_skipped_and_its_redirects_read(real):
    path = real / "hansard/parlparse-2009/debates/debates2009-10-27a.xml"
    with pytest.raises(SkipItem) as info:
        parse_sitting(path.read_bytes(), path.name)
    assert info.value.reason == "superseded"
    redirects = gid_redirects(path.read_bytes(), path.name)
    assert redirects and all(old.startswith("uk.org.publicwhip/debate/2009-10-27a.") for old, _, _ in redirects)
    assert all(new.startswith("uk.org.publicwhip/debate/2009-10-27b.") for _, new, _ in redirects)


def test_changedates_lists_versions_in_order(real):
    rows = parse_changedates((real / "hansard/parlparse-2009/debates/changedates.txt").read_text())
    assert rows[0] == (1256631461, "debates2009-10-26a.xml")
    assert [name for _, name in rows if name.startswith("debates2009-10-27")] == [
        "debates2009-10-27a.xml", "debates2009-10-27b.xml", "debates2009-10-27c.xml", "debates2009-10-27d.xml"]
