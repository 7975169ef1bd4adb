"""Contract tests: the library EPUB reader on the real Pepys diary source (Standard Ebooks).

The fixture is an unzipped EPUB of three files: container.xml, the OPF (123 spine items) and
one chapter (March 1667–68). The test zips them into an EPUB as a reader would receive it.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from extractors.library import parse_book, read_local
from extractors.local_files import parse_local

FILES = ("META-INF/container.xml", "epub/content.opf", "epub/text/chapter-99.xhtml")


@pytest.fixture(scope="module")
def pepys_epub(real, tmp_path_factory) -> Path:
    source = real / "memoirs" / "pepys-diary-epub-source"
    path = tmp_path_factory.mktemp("library") / "pepys-diary.epub"
    with zipfile.ZipFile(path, "w") as epub:
        epub.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")  # stored, first
        for name in FILES:
            epub.write(source / name, name, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="module")
def pepys(pepys_epub):
    return parse_local(pepys_epub)  # format detected: no --source, no sidecar


def test_metadata_comes_from_the_opf(pepys):
    assert pepys.document_id == "library:pepys-diary"
    assert pepys.title == "The Diary"
    assert pepys.meta["creators"] == ["Samuel Pepys"]
    assert pepys.meta["identifier"] == "https://standardebooks.org/ebooks/samuel-pepys/the-diary"
    assert pepys.meta["language"] == "en-GB"
    # no sidecar: the EPUB's own dc:date (the edition's publication) dates the passages
    assert pepys.date.isoformat() == "2019-08-21" and pepys.meta["date_basis"] == "epub metadata"


def test_missing_spine_items_are_noted_not_fatal(pepys):
    assert pepys.meta["spine_items"] == 123
    assert len(pepys.meta["spine_missing"]) == 122
    assert "text/chapter-98.xhtml" in pepys.meta["spine_missing"]
    assert "text/chapter-99.xhtml" not in pepys.meta["spine_missing"]
    assert any("122 of 123 spine items" in note for note in pepys.meta["notes"])


def test_diary_entries_of_march_1667_68_become_passages(pepys):
    anchors = [re.search(r"#(entry-[\d-]+):", p.locator).group(1) for p in pepys.passages]
    entries = list(dict.fromkeys(anchors))
    assert len(entries) == 31 and pepys.meta["paragraphs"] == 31
    assert entries[0] == "entry-1668-3-11" and entries[-1] == "entry-1668-4-10"
    # the <time datetime> is Gregorian (+10 days); the visible date stays Old Style
    assert (pepys.meta["entries_from"], pepys.meta["entries_to"]) == ("1668-03-11", "1668-04-10")
    first = pepys.passages[0]
    assert first.locator == "pepys-diary:text/chapter-99.xhtml#entry-1668-3-11:0.0"
    assert first.text.startswith("March 1st (Lord’s day). Up very betimes, and by coach to Sir W. Coventry’s")
    assert first.context == "March 1667\u2060–\u206068"  # the chapter heading, for the first passage
    # long entries are split at sentence ends into passages of at most 250 words, never after "Mrs."
    assert len(pepys.passages) == 87
    assert all(len(p.text.split()) <= 250 for p in pepys.passages)
    assert not any(re.search(r"\b(Mrs|Mr|St|Sir [A-Z])\.$", p.text) for p in pepys.passages)
    assert len({p.passage_id for p in pepys.passages}) == len(pepys.passages)


def test_footnote_references_are_not_in_the_text(pepys):
    tippets = next(p for p in pepys.passages if "Mr. Tippets," in p.text)
    assert "Mr. Tippets, who first took his place" in tippets.text
    assert not any(re.search(r"\b39\d\d\b", p.text) for p in pepys.passages)  # note numbers 3928-3966


def test_coverage_speaker_and_role(pepys):
    n = len(pepys.passages)
    with_speaker = sum(p.speaker == "Samuel Pepys" for p in pepys.passages) / n
    with_role = sum(p.role != "unknown" for p in pepys.passages) / n
    assert with_speaker == 1.0 and with_role == 1.0
    assert {p.role for p in pepys.passages} == {"author"}
    assert {p.source_type for p in pepys.passages} == {"memoir_interview"}


def test_a_sidecar_dates_the_book_and_keeps_the_period(pepys_epub, tmp_path):
    book = tmp_path / "pepys-diary.epub"
    book.write_bytes(pepys_epub.read_bytes())
    (tmp_path / "pepys-diary.meta.json").write_text(json.dumps({
        "id": "pepys-wheatley", "published": "1893", "period_from": "1660-01-01", "period_to": "1669-05-31",
        "kind": "diary"}))
    doc = parse_book(read_local(book, book.read_bytes()))
    assert doc.date.isoformat() == "1893-01-01" and doc.meta["date_basis"] == "sidecar"
    assert (doc.meta["period_from"], doc.meta["period_to"]) == ("1660-01-01", "1669-05-31")
    assert doc.passages[0].locator.startswith("pepys-wheatley:text/chapter-99.xhtml#entry-1668-3-11:")
    assert doc.passages[0].speaker == "Samuel Pepys" and doc.passages[0].role == "author"
