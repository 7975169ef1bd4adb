"""Write EPUB 3 files (a deterministic ZIP: mimetype first and stored, fixed timestamps)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

_STAMP = (2020, 1, 1, 0, 0, 0)
_XHTML_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
               '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
               'epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/" xml:lang="en-GB">\n')
CONTAINER = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">\n'
             '\t<rootfiles>\n\t\t<rootfile full-path="epub/content.opf" media-type="application/oebps-package+xml"/>\n'
             '\t</rootfiles>\n</container>\n')


@dataclass
class Item:
    """One XHTML file of the book: its href under epub/, title and body markup."""

    href: str
    title: str
    body: str
    body_type: str = "bodymatter"
    in_spine: bool = True


@dataclass
class Book:
    identifier: str
    title: str
    creator: str
    date: str  # ISO date of publication
    items: list[Item] = field(default_factory=list)
    language: str = "en-GB"


def xhtml(title: str, body: str, body_type: str) -> str:
    return (_XHTML_HEAD + f"\t<head>\n\t\t<title>{escape(title)}</title>\n\t</head>\n"
            f"\t<body epub:type={quoteattr(body_type)}>\n{body}\n\t</body>\n</html>\n")


def text(value: str) -> str:
    return escape(value)


def _nav(book: Book) -> str:
    links = "\n".join(f'\t\t\t\t<li><a href="{escape(i.href.removeprefix("text/"))}">{escape(i.title)}</a></li>'
                      for i in book.items if i.in_spine and i.body_type == "bodymatter")
    body = (f'\t\t<nav epub:type="toc" id="toc">\n\t\t\t<h2 epub:type="title">Table of Contents</h2>\n'
            f"\t\t\t<ol>\n{links}\n\t\t\t</ol>\n\t\t</nav>")
    return xhtml("Table of Contents", body, "frontmatter")


def _opf(book: Book) -> str:
    manifest = ['\t\t<item href="toc.xhtml" id="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>']
    spine = []
    for item in book.items:
        item_id = item.href.rsplit("/", 1)[-1]
        manifest.append(f'\t\t<item href="{escape(item.href)}" id="{escape(item_id)}" media-type="application/xhtml+xml"/>')
        if item.in_spine:
            spine.append(f'\t\t<itemref idref="{escape(item_id)}"/>')
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" dir="ltr" unique-identifier="uid" version="3.0" xml:lang="en-GB">\n'
            '\t<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f'\t\t<dc:identifier id="uid">{escape(book.identifier)}</dc:identifier>\n'
            f"\t\t<dc:title>{escape(book.title)}</dc:title>\n"
            f'\t\t<dc:creator id="author">{escape(book.creator)}</dc:creator>\n'
            f"\t\t<dc:date>{escape(book.date)}</dc:date>\n"
            f"\t\t<dc:language>{escape(book.language)}</dc:language>\n"
            f'\t\t<meta property="dcterms:modified">{escape(book.date)}T00:00:00Z</meta>\n'
            "\t</metadata>\n\t<manifest>\n" + "\n".join(manifest) + "\n\t</manifest>\n"
            "\t<spine>\n" + "\n".join(spine) + "\n\t</spine>\n</package>\n")


def _info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_STAMP)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def build_epub(book: Book) -> bytes:
    """The EPUB's bytes: the same book always gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_info("mimetype", zipfile.ZIP_STORED), "application/epub+zip")
        archive.writestr(_info("META-INF/container.xml", zipfile.ZIP_DEFLATED), CONTAINER)
        archive.writestr(_info("epub/content.opf", zipfile.ZIP_DEFLATED), _opf(book))
        archive.writestr(_info("epub/toc.xhtml", zipfile.ZIP_DEFLATED), _nav(book))
        for item in book.items:
            archive.writestr(_info(f"epub/{item.href}", zipfile.ZIP_DEFLATED),
                             xhtml(item.title, item.body, item.body_type))
    return buffer.getvalue()
