"""The committees and inquiry sources replayed over the synthetic sample archive."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date

import pytest

from extractors.acquire import acquire
from extractors.archive import RawArchive
from extractors.committees import CommitteesExtractor
from extractors.committees_roles import person_name
from extractors.http import HttpClient
from extractors.inquiry import InquiryExtractor
from sample_archive.committees import build_sessions
from sample_archive.generate import SEED
from sample_archive.people import invent_people


@pytest.fixture(scope="module")
def replay(sample_archive):
    archive = RawArchive(sample_archive)
    client = HttpClient.replay(archive)
    truth = defaultdict(list)
    for line in (sample_archive / "truth.jsonl").read_text().splitlines():
        row = json.loads(line)
        truth[(row["source"], row["item"])].append(row)
    yield client, truth
    client.close()
    archive.close()


@pytest.fixture(scope="module")
def committee_documents(replay):
    client, _ = replay
    extractor = CommitteesExtractor()
    refs = extractor.discover(client, None)
    outcomes = [acquire(extractor, client, ref) for ref in refs]
    return refs, outcomes, extractor.notes


def test_discovery_lists_every_transcribed_session_in_cursor_order(committee_documents):
    refs, _, notes = committee_documents
    assert len(refs) == 86  # two a quarter, 2016-Q1 to 2026-Q3
    assert [r.cursor for r in refs] == sorted(r.cursor for r in refs)
    assert notes == ["committees: 1 oral evidence session(s) listed without a transcript yet; they are picked up "
                     "once one is published"]


def test_discovery_is_incremental(replay, committee_documents):
    client, _ = replay
    refs, _, _ = committee_documents
    extractor = CommitteesExtractor()
    assert extractor.discover(client, refs[-1].cursor) == []  # nothing after the watermark of a full run
    since = extractor.cursor_from_date(date(2020, 1, 1))
    assert extractor.discover(client, since) == [r for r in refs if r.cursor > since]
    middle = refs[40].cursor
    assert [r.item_id for r in extractor.discover(client, middle)] == [r.item_id for r in refs[41:]]


def test_every_session_parses_to_its_truth_rows(replay, committee_documents):
    _, truth = replay
    refs, outcomes, _ = committee_documents
    assert Counter(o.state for o in outcomes) == {"parsed": 86}
    for ref, outcome in zip(refs, outcomes):
        document = outcome.document
        rows = truth[("committees", ref.item_id)]
        assert len(document.passages) == len(rows)
        assert {p.date.isoformat() for p in document.passages} == {rows[0]["date"]}  # the sitting date


def test_roles_are_those_the_sessions_were_written_with(committee_documents):
    refs, outcomes, _ = committee_documents
    expected = {}
    for session, _ in build_sessions(invent_people(SEED), SEED):
        roles = {person_name(w.name): w.role for panel in session.panels for w in panel.witnesses}
        roles.update({m: "committee_member" for m in [session.chair, *session.members]})
        expected[f"oralevidence/{session.evidence_id}"] = roles
    checked = Counter()
    for ref, outcome in zip(refs, outcomes):
        for passage in outcome.document.passages:
            assert passage.role == expected[ref.item_id][passage.speaker], (ref.item_id, passage.speaker)
            checked[passage.role] += 1
    assert set(checked) == {"committee_member", "minister", "official", "special_adviser", "external_witness", "unknown"}
    assert checked["unknown"] / sum(checked.values()) < 0.10  # only witnesses with nothing recorded about them


def test_the_legacy_pdf_session(committee_documents):
    refs, outcomes, _ = committee_documents
    pdfs = [o.document for o in outcomes if o.document.meta["format"] == "pdf"]
    assert len(pdfs) == 1
    document = pdfs[0]
    assert document.url.endswith("/pdf/") and document.date.year == 2016
    questions = document.meta["questions"]
    assert {int(p.locator.split(":")[1][1:]) for p in document.passages} == set(range(questions[0], questions[1] + 1))
    assert not any("Oral evidence:" in p.text or " HC " in p.text for p in document.passages)
    assert all(p.speaker and p.role != "unknown" for p in document.passages if p.speaker != "Chair")


def test_inquiry_days(replay):
    client, truth = replay
    extractor = InquiryExtractor()
    refs = extractor.discover(client, None)
    assert [r.item_id for r in refs] == ["module-2/2024-02-06", "module-2/2024-02-07"]
    assert extractor.discover(client, refs[-1].cursor) == []
    for ref in refs:
        document = acquire(extractor, client, ref).document
        assert len(document.passages) == len(truth[("inquiry", ref.item_id)])
        assert document.passages[0].speaker == "Lady Ashcombe"
        assert all(p.role == "unknown" for p in document.passages)  # invented witnesses are not in the table
