"""EPUB books: container.xml → OPF (Dublin Core metadata, manifest, spine) → XHTML paragraphs.

Read with `zipfile` and the project's safe XML parser. The spine gives the reading order; a
spine item the OPF lists but the archive lacks is noted and skipped, never a crash. Passages
are `<p>` elements; note references (`epub:type="noteref"`) are left out of the text, and
footnotes, endnotes, the table of contents, title pages and colophons are not passages.
Print page breaks (`epub:type="pagebreak"`) give each paragraph its page, and diary entries
(`<article epub:type="z3998:diary-entry" id=…>` with `<time datetime>`, as in Standard Ebooks'
Pepys) give it an anchor and an entry date.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

from extractors.errors import ParseError
from extractors.library_text import BookParagraph, BookText
from extractors.limits import current
from extractors.passage import clean_text
from extractors.xmlsafe import parse_xml

CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
EPUB_MIMETYPE = b"application/epub+zip"
XHTML_TYPES = {"application/xhtml+xml", "text/html"}

# Parts of a book that are apparatus, not the author's text (epub:type on an ancestor).
SKIP_TYPES = {
    "toc", "landmarks", "page-list", "loi", "lot", "titlepage", "halftitlepage", "imprint",
    "colophon", "copyright-page", "endnotes", "footnotes", "rearnotes", "footnote", "endnote",
    "rearnote", "note", "index", "bibliography", "foreword", "se:uncopyright",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HEADING_CONTAINERS = {"header", "hgroup", "nav", "aside", "figcaption"}
MAX_ITEM_BYTES = 20 * 1024 * 1024


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def epub_types(element: etree._Element) -> set[str]:
    """The element's epub:type tokens (namespaced in XHTML, a plain attribute in HTML)."""
    value = element.get(OPS_TYPE) or element.get("epub:type") or ""
    role = element.get("role") or ""
    tokens = set(value.split())
    tokens.update(r.removeprefix("doc-") for r in role.split() if r.startswith("doc-"))
    return tokens


def is_epub(data: bytes) -> bool:
    """A ZIP whose first entry is the EPUB `mimetype` file (or any ZIP holding container.xml)."""
    if not data.startswith(b"PK"):
        return False
    return EPUB_MIMETYPE in data[:200] or b"META-INF/container.xml" in data


def check_zip(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip bomb (too many entries, too much inflated, a runaway ratio) and entries whose
    names point outside the book (`../`, absolute paths): nothing is extracted to disk, but such
    a file is hostile, not a book."""
    limits = current()
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise ParseError(f"{name}: refused: {len(infos)} zip entries (limit {limits.max_zip_members})")
    total = sum(info.file_size for info in infos)
    if total > limits.max_zip_uncompressed_bytes:
        raise ParseError(f"{name}: refused: {total} bytes uncompressed (limit {limits.max_zip_uncompressed_bytes};"
                         " a zip bomb?)")
    for info in infos:
        parts = info.filename.replace("\\", "/").split("/")
        if info.filename.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", info.filename):
            raise ParseError(f"{name}: refused: zip entry {info.filename!r} points outside the book (path traversal)")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_zip_ratio:
            raise ParseError(f"{name}: refused: {info.filename!r} inflates {ratio:.0f}x "
                             f"(limit {limits.max_zip_ratio}x; a zip bomb?)")


def _read_member(archive: zipfile.ZipFile, path: str, name: str) -> bytes:
    info = archive.getinfo(path)
    if info.file_size > MAX_ITEM_BYTES:
        raise ParseError(f"{name}: {path} is {info.file_size} bytes, over the {MAX_ITEM_BYTES} limit")
    return archive.read(info)


def _opf_path(archive: zipfile.ZipFile, names: set[str], name: str) -> str:
    if "META-INF/container.xml" not in names:
        raise ParseError(f"{name}: not an EPUB (no META-INF/container.xml)")
    root = parse_xml(_read_member(archive, "META-INF/container.xml", name), f"{name}:META-INF/container.xml")
    for rootfile in root.iter(f"{{{CONTAINER_NS}}}rootfile", "rootfile"):
        if rootfile.get("full-path"):
            return rootfile.get("full-path")
    raise ParseError(f"{name}: container.xml names no rootfile")


def _metadata(opf: etree._Element, book: BookText) -> None:
    def texts(tag: str) -> list[str]:
        values = (clean_text("".join(e.itertext())) for e in opf.iter(f"{{{DC_NS}}}{tag}"))
        return [v for v in values if v]

    titles, creators, dates = texts("title"), texts("creator"), texts("date")
    book.title = titles[0] if titles else None
    book.creators = creators
    book.date = dates[0] if dates else None
    unique = opf.get("unique-identifier")
    identifiers = [e for e in opf.iter(f"{{{DC_NS}}}identifier")]
    chosen = next((e for e in identifiers if unique and e.get("id") == unique), identifiers[0] if identifiers else None)
    book.identifier = clean_text(chosen.text or "") if chosen is not None else None
    languages = texts("language")
    book.language = languages[0] if languages else None
    for meta in opf.iter(f"{{{OPF_NS}}}meta"):
        if meta.get("property") == "dcterms:modified" and meta.text:
            book.meta["modified"] = meta.text.strip()


def _spine(opf: etree._Element, opf_dir: str) -> tuple[list[tuple[str, str, dict]], list[str]]:
    """[(idref, path in the zip, manifest item)] in reading order, and notes on what is odd."""
    manifest = {}
    for item in opf.iter(f"{{{OPF_NS}}}item"):
        href = unquote(item.get("href", "").split("#", 1)[0])
        manifest[item.get("id")] = {"href": href, "media_type": item.get("media-type", ""),
                                    "properties": set((item.get("properties") or "").split())}
    order, notes = [], []
    for itemref in opf.iter(f"{{{OPF_NS}}}itemref"):
        idref = itemref.get("idref", "")
        item = manifest.get(idref)
        if item is None:
            notes.append(f"spine item {idref!r} is not in the manifest: skipped")
            continue
        if itemref.get("linear") == "no" or "nav" in item["properties"]:
            continue
        if item["media_type"] not in XHTML_TYPES:
            continue
        order.append((idref, posixpath.normpath(posixpath.join(opf_dir, item["href"])), item))
    return order, notes


def _parse_xhtml(raw: bytes, label: str, notes: list[str]) -> etree._Element:
    try:
        return parse_xml(raw, label)
    except ParseError as exc:
        if "refused" in str(exc):
            raise
        notes.append(f"{label}: not well-formed XHTML, read with the HTML parser ({exc})")
        try:
            return lxml_html.document_fromstring(raw)
        except (etree.ParserError, ValueError) as html_exc:
            raise ParseError(f"{label}: unreadable ({html_exc})") from html_exc


def _text_without_notes(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not ({"noteref", "footnote", "endnote"} & epub_types(child)):
            parts.append(_text_without_notes(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _page_label(element: etree._Element) -> str | None:
    label = element.get("title") or element.get("aria-label") or clean_text("".join(element.itertext()))
    if not label and element.get("id"):
        label = element.get("id").rsplit("-", 1)[-1]
    return label or None


def _context_of(p: etree._Element) -> tuple[bool, tuple[str, str | None] | None]:
    """(skip?, the diary entry (id, datetime) around the paragraph)."""
    entry = None
    node = p.getparent()
    while node is not None:
        types = epub_types(node)
        if types & SKIP_TYPES or _local(node) in HEADING_CONTAINERS:
            return True, None
        if entry is None and "z3998:diary-entry" in types:
            time = next((t for t in node.iter("{*}time", "time") if t.get("datetime")), None)
            entry = (node.get("id") or "", time.get("datetime") if time is not None else None)
        node = node.getparent()
    return False, entry


def read_item(root: etree._Element, href: str, page: str | None) -> tuple[list[BookParagraph], str | None]:
    """The paragraphs of one XHTML spine item; returns the print page reached at its end."""
    paragraphs: list[BookParagraph] = []
    heading = ""
    for element in root.iter():
        tag = _local(element)
        types = epub_types(element) if tag else set()
        if "pagebreak" in types:
            page = _page_label(element) or page
        elif tag in HEADINGS:
            heading = clean_text(_text_without_notes(element)) or heading
        elif tag == "p":
            skip, entry = _context_of(element)
            if skip or types & SKIP_TYPES:
                continue
            text = clean_text(_text_without_notes(element))
            if not text:
                continue
            paragraphs.append(BookParagraph(
                href, len(paragraphs), text, anchor=entry[0] if entry else None, page=page,
                heading=heading, entry_date=entry[1] if entry else None))
    return paragraphs, page


def read_epub(data: bytes, name: str) -> BookText:
    """Read an EPUB (bytes of the ZIP) into paragraphs in spine order."""
    book = BookText(format="epub")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ParseError(f"{name}: not a readable EPUB/ZIP ({exc})") from exc
    try:
        with archive:
            _read_archive(archive, book, name)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError, struct.error,
            KeyError, ValueError) as exc:  # a corrupt member, an encrypted one, a bad header
        raise ParseError(f"{name}: not a readable EPUB/ZIP ({type(exc).__name__}: {exc})") from exc
    entries = sorted(p.entry_date for p in book.paragraphs if p.entry_date)
    if entries:
        book.meta["entries_from"], book.meta["entries_to"] = entries[0], entries[-1]
    return book


def _read_archive(archive: zipfile.ZipFile, book: BookText, name: str) -> None:
    """The book's metadata and paragraphs from an open (checked) EPUB archive."""
    check_zip(archive, name)
    names = set(archive.namelist())
    if "mimetype" not in names:
        book.notes.append("no mimetype entry (read anyway)")
    elif archive.read("mimetype").strip() != EPUB_MIMETYPE:
        book.notes.append(f"mimetype is {archive.read('mimetype')[:40]!r}, not application/epub+zip")
    opf_path = _opf_path(archive, names, name)
    if opf_path not in names:
        raise ParseError(f"{name}: the OPF {opf_path} named in container.xml is missing")
    opf = parse_xml(_read_member(archive, opf_path, name), f"{name}:{opf_path}")
    _metadata(opf, book)
    spine, spine_notes = _spine(opf, posixpath.dirname(opf_path))
    book.notes.extend(spine_notes)
    opf_dir = posixpath.dirname(opf_path)
    missing: list[str] = []
    page: str | None = None
    for _, path, item in spine:
        if path not in names:
            missing.append(item["href"])
            continue
        label = f"{name}:{path}"
        root = _parse_xhtml(_read_member(archive, path, name), label, book.notes)
        href = posixpath.relpath(path, opf_dir) if opf_dir else path
        paragraphs, page = read_item(root, href, page)
        book.paragraphs.extend(paragraphs)
    book.meta["spine_items"] = len(spine)
    book.meta["spine_missing"] = missing
    if missing:
        book.notes.append(f"{len(missing)} of {len(spine)} spine items listed in the OPF are missing from "
                          f"the EPUB and were skipped (first: {missing[0]})")
