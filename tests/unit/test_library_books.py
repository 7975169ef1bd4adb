"""Library books on files made in the test: TXT, PDF (running heads, folios, notes) and EPUB edge cases."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from extractors.errors import ParseError
from extractors.library import parse_book, read_local
from extractors.local_files import detect, parse_local
from sample_archive.epub_writer import Book, Item, build_epub
from tests.bookfiles import TXT, write_pdf


def _book(tmp_path, name: str, data: bytes, sidecar: dict | None):
    path = tmp_path / name
    path.write_bytes(data)
    if sidecar is not None:
        path.with_name(path.stem + ".meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return path


def test_txt_book_with_sidecar(tmp_path):
    path = _book(tmp_path, "quiet-machine.txt", TXT.encode(), {
        "author": "Cordelia Vane", "published": "2021-06", "role": "special_adviser", "party": "Labour",
        "period_from": "2016", "period_to": "2019", "title": "The Quiet Machine"})
    assert detect(path.name, path.read_bytes()) == "library"
    doc = parse_local(path)
    assert doc.document_id == "library:quiet-machine" and doc.title == "The Quiet Machine"
    assert doc.date == date(2021, 6, 1) and doc.meta["period_from"] == "2016"
    assert [p.locator for p in doc.passages] == [f"quiet-machine:quiet-machine.txt:{i}" for i in range(3)]
    assert doc.passages[0].text == ("When I arrived at the department the permanent secretary met me at the door "
                                    "and walked me to the private office, where the diary was already full.")
    assert doc.passages[0].context == "Chapter One"
    assert doc.passages[2].context.endswith("who decided things.")
    assert {(p.speaker, p.role, p.party) for p in doc.passages} == {("Cordelia Vane", "special_adviser", "Labour")}


def test_txt_without_a_sidecar_says_what_is_missing(tmp_path):
    path = _book(tmp_path, "notes.txt", TXT.encode(), None)
    with pytest.raises(ParseError, match=r'notes.txt: no published date: add notes.meta.json'):
        parse_local(path)


@pytest.mark.parametrize("sidecar, message", [
    ({"published": "2020-01-01", "auther": "Typo"}, "auther: Extra inputs are not permitted"),
    ({"published": "2020-01-01", "role": "novelist"}, "role 'novelist' is not one of"),
    ({"published": "sometime"}, "published 'sometime' is not a date"),
])
def test_bad_sidecars_are_clear_errors(tmp_path, sidecar, message):
    path = _book(tmp_path, "bad.txt", TXT.encode(), sidecar)
    with pytest.raises(ParseError, match=message):
        parse_local(path)


def _pdf_page(number: int, body: list[tuple[str, int] | None], notes: list[str] = ()) -> list:
    lines = [(60, 560, "THE LONG CORRIDOR", 9)] if number % 2 else [(60, 560, f"CHAPTER {number // 2 + 1}: ARRIVAL", 9)]
    y = 530
    for row in body:
        if row is None:
            y -= 14
            continue
        text, indent = row
        lines.append((60 + 15 * indent, y, text, 11))
        y -= 14
    y = 90
    for note in notes:
        lines.append((60, y, note, 8))
        y -= 10
    lines.append((200, 40, str(number + 10), 9))  # printed folio, not the PDF page number
    return lines


PDF_PAGES = [
    [("Chapter One", 0), None,
     ("When I arrived at the department the permanent secre-", 1),
     ("tary met me at the door and walked me to the private", 0),
     ("office, where the diary had already been filled.", 0),
     ("It took me some weeks to learn how the place worked,", 1),
     ("and longer to learn who really decided things. The", 0)],
    [("submissions came in boxes every night, and I read", 0),
     ("them all.", 0),
     ("My private secretary was the best official I ever", 1),
     ("worked with, and she told me so.", 0)],
    [("Nobody warned me about the select committee, where", 1),
     ("the questions were sharper than any in the House.", 0)],
]


@pytest.fixture
def pdf_book(tmp_path):
    pages = [_pdf_page(1, PDF_PAGES[0]), _pdf_page(2, PDF_PAGES[1], ["1 A note about the boxes."]),
             _pdf_page(3, PDF_PAGES[2])]
    data = write_pdf(pages, info={"Title": "The Long Corridor", "Author": "Ambrose Kettle"})
    return _book(tmp_path, "long-corridor.pdf", data, {"published": "2018-04-12", "period_from": "2015"})


def test_pdf_paragraphs_without_running_heads_folios_or_notes(pdf_book):
    assert detect(pdf_book.name, pdf_book.read_bytes()) == "library"
    doc = parse_local(pdf_book)
    texts = [p.text for p in doc.passages]
    assert texts == [
        "When I arrived at the department the permanent secretary met me at the door and walked me to the "
        "private office, where the diary had already been filled.",
        "It took me some weeks to learn how the place worked, and longer to learn who really decided things. "
        "The submissions came in boxes every night, and I read them all.",
        "My private secretary was the best official I ever worked with, and she told me so.",
        "Nobody warned me about the select committee, where the questions were sharper than any in the House.",
    ]
    # a paragraph running over a page break is located on the page where it starts
    assert [p.locator for p in doc.passages] == ["long-corridor:page-1:0", "long-corridor:page-1:1",
                                                 "long-corridor:page-2:0", "long-corridor:page-3:0"]
    assert doc.passages[0].context == "Chapter One"
    assert doc.meta["notes_dropped"] == 1 and doc.meta["pages"] == 3
    assert "the long corridor" in doc.meta["running_lines_removed"]
    # no sidecar author or title: the PDF's own metadata
    assert doc.title == "The Long Corridor"
    assert {(p.speaker, p.role) for p in doc.passages} == {("Ambrose Kettle", "author")}
    assert doc.date == date(2018, 4, 12)


def test_not_a_pdf_is_a_parse_error(tmp_path):
    path = _book(tmp_path, "broken.pdf", b"%PDF-1.4\nthis is not a pdf", {"published": "2020"})
    with pytest.raises(ParseError, match="broken.pdf"):
        parse_local(path)


def _epub(**changes) -> bytes:
    chapter = ('<section id="chapter-1" epub:type="chapter"><h2 epub:type="title">1. Arrival</h2>'
               '<span epub:type="pagebreak" id="page-7" title="7"/>'
               '<p>The first paragraph.<a href="endnotes.xhtml#note-1" id="noteref-1" epub:type="noteref">1</a></p>'
               '<p>The second one, which runs on<span epub:type="pagebreak" id="page-8" title="8"/> to the next page.</p>'
               '<p>The third.</p></section>')
    items = [Item("text/titlepage.xhtml", "Titlepage", '<section epub:type="titlepage"><p>By Someone</p></section>',
                  body_type="frontmatter"),
             Item("text/chapter-1.xhtml", "Arrival", chapter),
             Item("text/endnotes.xhtml", "Endnotes", '<section epub:type="endnotes"><ol><li id="note-1" '
                  'epub:type="endnote"><p>An endnote.</p></li></ol></section>', body_type="backmatter")]
    return build_epub(Book("urn:test:arrival", "Arrival", "Someone Else", "2022-02-02", items, **changes))


def test_epub_pages_notes_and_apparatus(tmp_path):
    path = _book(tmp_path, "arrival.epub", _epub(), None)
    doc = parse_local(path)
    assert [(p.locator, p.text) for p in doc.passages] == [
        ("arrival:text/chapter-1.xhtml:0;page=7", "The first paragraph."),
        ("arrival:text/chapter-1.xhtml:1;page=7", "The second one, which runs on to the next page."),
        ("arrival:text/chapter-1.xhtml:2;page=8", "The third."),
    ]
    assert doc.date == date(2022, 2, 2) and doc.passages[0].speaker == "Someone Else"


def _without(data: bytes, member: str, replace: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info, (replace or {}).get(info.filename, src.read(info)))
    return out.getvalue()


def test_epub_missing_spine_item_and_malformed_xhtml(tmp_path):
    data = _without(_epub(), "epub/text/endnotes.xhtml",
                    {"epub/text/chapter-1.xhtml": b"<html><body><p>Loose &nbsp; markup<p>Second</body></html>"})
    doc = parse_book(read_local(_book(tmp_path, "loose.epub", data, None), data))
    assert [p.text for p in doc.passages] == ["Loose markup", "Second"]
    assert doc.meta["spine_missing"] == ["text/endnotes.xhtml"]
    assert any("read with the HTML parser" in note for note in doc.meta["notes"])


def test_not_an_epub_is_a_parse_error(tmp_path):
    path = _book(tmp_path, "empty.epub", b"PK\x03\x04 not really a zip", {"published": "2020"})
    with pytest.raises(ParseError, match="empty.epub: not a readable EPUB"):
        parse_local(path)


def test_whitehall_parse_detects_every_memoir_format(tmp_path, pdf_book):
    from typer.testing import CliRunner

    from tests.unit.test_ministers_reflect import PAGE
    from whitehall.cli import app

    epub = _book(tmp_path, "arrival.epub", _epub(), None)
    txt = _book(tmp_path, "quiet-machine.txt", TXT.encode(), {"author": "Cordelia Vane", "published": "2021-06-01"})
    page = tmp_path / "mirabel-ashcombe.html"
    page.write_bytes(PAGE.read_bytes())
    broken = _book(tmp_path, "broken.epub", b"PK\x03\x04 truncated", {"published": "2020"})
    out = tmp_path / "passages.jsonl"
    result = CliRunner().invoke(app, ["parse", str(epub), str(pdf_book), str(txt), str(page), str(broken),
                                      "-o", str(out)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {(r["source"], r["document_id"]) for r in rows} == {
        ("library", "library:arrival"), ("library", "library:long-corridor"), ("library", "library:quiet-machine"),
        ("ministers_reflect", "ministers_reflect:mirabel-ashcombe")}
    assert len(rows) == 3 + 4 + 3 + 9 and all(r["id"] == r["passage_id"] for r in rows)
    assert "broken.epub: not a readable EPUB" in result.output and "19 passages from 4 of 5 files" in result.output
