"""Replay discovery of Ministers Reflect and the library on the synthetic sample archive."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict

import pytest

from extractors.acquire import acquire
from extractors.archive import RawArchive
from extractors.http import HttpClient
from extractors.library import LibraryExtractor
from extractors.ministers_reflect import MinistersReflectExtractor, index_url


@pytest.fixture(scope="module")
def replay(sample_archive, tmp_path_factory):
    """A replay client over a private copy (fetching a library item stores its bundle)."""
    copy = tmp_path_factory.mktemp("memoirs") / "archive"
    shutil.copytree(sample_archive, copy)
    archive = RawArchive(copy)
    truth = defaultdict(list)
    for line in (copy / "truth.jsonl").read_text().splitlines():
        row = json.loads(line)
        truth[(row["source"], row["item"])].append(row)
    yield HttpClient.replay(archive), truth
    archive.close()


def _run(extractor, client, since=None):
    refs = extractor.discover(client, since)
    return refs, [acquire(extractor, client, ref) for ref in refs]


def _coverage(outcomes) -> tuple[int, float, float]:
    passages = [p for o in outcomes for p in o.document.passages]
    n = len(passages)
    return n, sum(bool(p.speaker) for p in passages) / n, sum(p.role != "unknown" for p in passages) / n


def test_ministers_reflect_replay_matches_the_truth(replay):
    client, truth = replay
    extractor = MinistersReflectExtractor()
    refs, outcomes = _run(extractor, client)
    assert len(refs) == 43  # one interview a quarter, 2016-Q1 to 2026-Q3
    assert refs[0].cursor.startswith("2016-") and refs[-1].cursor.startswith("2026-")
    assert all(o.state == "parsed" for o in outcomes)
    for ref, outcome in zip(refs, outcomes):
        rows = truth[("ministers_reflect", ref.item_id)]
        doc = outcome.document
        assert len(doc.passages) == len(rows), ref.item_id
        assert {p.date.isoformat() for p in doc.passages} == {r["date"] for r in rows} == {ref.meta["published"]}
        assert doc.meta["date_basis"] == "listing" and doc.meta["department"] and 15 <= doc.meta["turns"] <= 30
    n, with_speaker, with_role = _coverage(outcomes)
    assert n == sum(len(v) for k, v in truth.items() if k[0] == "ministers_reflect")
    assert with_speaker == 1.0 and 0.55 < with_role < 0.75  # interviewers' questions: role unknown
    assert extractor.discover(client, max(r.cursor for r in refs)) == []


def test_ministers_reflect_pages_back_only_to_the_watermark(replay, monkeypatch):
    client, _ = replay
    requested: list[str] = []
    original = client.get
    monkeypatch.setattr(client, "get", lambda url, **kw: requested.append(url) or original(url, **kw))
    refs = MinistersReflectExtractor().discover(client, "2025-01-01")
    assert [r.cursor[:4] for r in refs] == ["2025"] * 4 + ["2026"] * 3
    assert requested == [index_url(0)]  # the first page already reaches back past the watermark


def test_library_replay_matches_the_truth(replay):
    client, truth = replay
    extractor = LibraryExtractor()
    refs, outcomes = _run(extractor, client)
    assert [r.item_id for r in refs] == ["memoirs/the-long-corridor.epub", "memoirs/inside-the-machine.epub",
                                         "diaries/a-year-in-the-department.epub", "memoirs/after-the-blob.epub"]
    for ref, outcome in zip(refs, outcomes):
        rows = truth[("library", ref.item_id)]
        assert outcome.state == "parsed"
        assert len(outcome.document.passages) == len(rows) and rows
        assert {p.date.isoformat() for p in outcome.document.passages} == {r["date"] for r in rows}
    diary = outcomes[2].document
    assert diary.meta["kind"] == "diary" and diary.meta["period_from"] == "2020-09-01"
    assert "#entry-2020-9-" in diary.passages[0].locator and ";page=" not in diary.passages[0].locator
    peer = outcomes[3].document.passages[0]
    assert peer.role == "peer" and peer.party and peer.speaker_id.startswith("uk.org.publicwhip/person/")
    assert ";page=" in outcomes[0].document.passages[0].locator
    n, with_speaker, with_role = _coverage(outcomes)
    assert n == sum(len(v) for k, v in truth.items() if k[0] == "library")
    assert with_speaker == 1.0 and with_role == 1.0
    assert extractor.discover(client, max(r.cursor for r in refs)) == []
