"""Hostile and broken EPUB and PDF files, built from the sample archive's own writers."""

from __future__ import annotations

import io
import json
import zipfile
import zlib

from sample_archive.epub_writer import Book, Item, build_epub
from sample_archive.pdf_writer import write_pdf

PARAGRAPHS = ["The permanent secretary told me on my first day that the department would carry out my "
              "decisions faithfully, and it did.", "We rebuilt the delivery unit around three measurable "
              "results, and officials owned each one.", "Candour in advice saved the programme twice that year."]


def epub(extra: list[Item] | None = None, paragraphs: list[str] = PARAGRAPHS) -> bytes:
    body = "\n".join(f"\t\t<p>{p}</p>" for p in paragraphs)
    items = [Item("text/chapter-1.xhtml", "Chapter 1", f'\t\t<section epub:type="chapter">\n{body}\n\t\t</section>')]
    return build_epub(Book("urn:uuid:faults-book", "A Test Memoir", "Ann Example", "2026-02-01",
                           items + list(extra or [])))


def sidecar(title: str) -> bytes:
    return json.dumps({"published": "2026-02-01", "title": title, "author": "Ann Example"}).encode()


def _add(data: bytes, entries: list[tuple[str, bytes]], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        for name, payload in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compress
            archive.writestr(info, payload)
    return buffer.getvalue()


def zip_bomb_epub(megabytes: int = 40) -> bytes:
    """A chapter in the spine that inflates ~1000x: megabytes of white space around one paragraph."""
    padding = " " * (megabytes * 1024 * 1024)
    chapter = Item("text/chapter-2.xhtml", "Chapter 2", f"<p>Bomb{padding}</p>")
    return epub([chapter])


def many_entries_epub(n: int = 3000) -> bytes:
    return _add(epub(), [(f"epub/images/{i}.txt", b"x") for i in range(n)], zipfile.ZIP_STORED)


def traversal_epub() -> bytes:
    """Entries that would land outside any folder the book were extracted into."""
    return _add(epub(), [("../../etc/passwd", b"root:x:0:0:owned"), ("/tmp/whitehall-owned.txt", b"owned"),
                         ("epub/../../../escape.txt", b"owned")])


def xxe_epub() -> bytes:
    xxe = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY s SYSTEM "file:///etc/passwd">]>'
           '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&s;</p></body></html>')
    data = epub()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            payload = xxe.encode() if info.filename.endswith("chapter-1.xhtml") else source.read(info)
            target.writestr(info, payload)
    return buffer.getvalue()


def malformed_epub() -> bytes:
    return epub()[:300] + b"\x00" * 64


def pdf(pages: int = 2) -> bytes:
    return write_pdf([[f"Page {n} of a memoir.", PARAGRAPHS[n % 3]] for n in range(pages)], "A Test Memoir")


def pdf_bomb(megabytes: int = 40) -> bytes:
    """A one-page PDF whose content stream inflates from a few KB to `megabytes` MB."""
    stream = zlib.compress(b"BT /F1 10 Tf 56 800 Td (bomb) Tj ET\n" + b" " * (megabytes * 1024 * 1024), 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
               b" /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return _pdf(objects)


def pdf_declaring_pages(count: int = 5_000_000) -> bytes:
    """A page tree that declares millions of pages (it holds one)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    return _pdf(objects)


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def malformed_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
