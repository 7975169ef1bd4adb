"""The library source's discovery: a folder recorded into the raw archive, then replayed."""

from __future__ import annotations

import json
import shutil

import pytest

from extractors.acquire import acquire
from extractors.archive import RawArchive
from extractors.http import HttpClient
from extractors.library import LIBRARY_URL, LibraryExtractor, file_url
from tests.bookfiles import TXT

T1, T2, T3 = "2026-01-05T02:00:00+00:00", "2026-01-06T02:00:00+00:00", "2026-01-07T02:00:00+00:00"


class Clock:
    def __init__(self, now: str) -> None:
        self.now = now

    def __call__(self) -> str:
        return self.now


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "library"
    (folder / "memoirs").mkdir(parents=True)
    (folder / "memoirs" / "quiet-machine.txt").write_text(TXT, encoding="utf-8")
    (folder / "memoirs" / "quiet-machine.meta.json").write_text(
        json.dumps({"author": "Cordelia Vane", "published": "2021-06-01"}), encoding="utf-8")
    (folder / "undated.txt").write_text(TXT, encoding="utf-8")  # no sidecar
    (folder / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (folder / "README.md").write_text("not a book", encoding="utf-8")
    return folder


def test_live_scan_records_files_and_is_incremental(tmp_path, library):
    archive = RawArchive(tmp_path / "archive")
    client = HttpClient(archive)  # a recording (live) client; the library needs no network
    clock = Clock(T1)
    extractor = LibraryExtractor(library, clock=clock)
    refs = extractor.discover(client, None)
    assert [(r.item_id, r.cursor) for r in refs] == [("memoirs/quiet-machine.txt", f"{T1}|memoirs/quiet-machine.txt"),
                                                     ("undated.txt", f"{T1}|undated.txt")]
    assert archive.latest(file_url("memoirs/quiet-machine.txt")).fetched_at == T1
    assert archive.latest(file_url("memoirs/quiet-machine.meta.json")) is not None
    assert archive.latest(LIBRARY_URL) is not None

    good, undated = (acquire(extractor, client, ref) for ref in refs)
    assert good.state == "parsed" and good.document.document_id == "library:memoirs-quiet-machine"
    assert good.document.item_id == "memoirs/quiet-machine.txt" and len(good.document.passages) == 3
    assert archive.read(good.raw_sha256).startswith(b"whitehall-library-item/1\n")  # kept for a retry
    assert undated.state == "quarantined" and "add undated.meta.json" in undated.error

    watermark = max(r.cursor for r in refs)
    clock.now = T2
    assert extractor.discover(client, watermark) == []  # nothing changed: nothing new

    clock.now = T3  # a corrected sidecar: the book comes back, under the same document id
    (library / "memoirs" / "quiet-machine.meta.json").write_text(
        json.dumps({"author": "Cordelia Vane", "published": "2021-06-01", "role": "special_adviser"}))
    again = extractor.discover(client, watermark)
    assert [(r.item_id, r.cursor) for r in again] == [("memoirs/quiet-machine.txt", f"{T3}|memoirs/quiet-machine.txt")]
    changed = acquire(extractor, client, again[0])
    assert changed.document.document_id == "library:memoirs-quiet-machine"
    assert {p.role for p in changed.document.passages} == {"special_adviser"}
    # the book's bytes did not change, so their recorded time did not move
    assert archive.latest(file_url("memoirs/quiet-machine.txt")).fetched_at == T1


def test_replay_lists_what_the_archive_holds(tmp_path, library):
    archive = RawArchive(tmp_path / "archive")
    LibraryExtractor(library, clock=Clock(T1)).discover(HttpClient(archive), None)
    shutil.rmtree(library)  # replay never reads the folder
    replay = HttpClient.replay(archive)
    extractor = LibraryExtractor(library)
    refs = extractor.discover(replay, None)
    assert [r.item_id for r in refs] == ["memoirs/quiet-machine.txt", "undated.txt"]
    outcome = acquire(extractor, replay, refs[0])
    assert outcome.state == "parsed" and outcome.document.passages[0].speaker == "Cordelia Vane"


def test_live_without_the_folder_says_so(tmp_path):
    extractor = LibraryExtractor()
    assert extractor.discover(HttpClient(RawArchive(tmp_path / "data" / "archive")), None) == []
    assert extractor.notes == [f"library folder {tmp_path / 'data' / 'library'} is absent: nothing to discover"]
