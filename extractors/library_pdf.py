"""PDF books: pypdf's layout text per page, cleaned into paragraphs.

Per page: running headers and footers (a line in the top or bottom two that repeats on many
pages once digits are ignored), a heading-like top line set apart by a gap (a running head
that occurs once, such as a chapter title on a recto), and folios (a bare page number) are
stripped, and a trailing block of numbered notes is dropped. Then lines are re-joined into paragraphs across pages:
a paragraph starts after a vertical gap, at an indented line, or after a short line that ends
a sentence; line-end hyphens are removed where the next line goes on in lower case. Scanned
PDFs without a text layer give no paragraphs (OCR is out of scope) and say so.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from extractors.pdfsafe import open_pdf
from extractors.library_text import BookParagraph, BookText, ends_sentence, is_heading, join_lines

log = logging.getLogger(__name__)

_FOLIO = re.compile(r"^[\W_]*(page\s+)?(\d{1,4}|[ivxlcdm]{1,7})[\W_]*$", re.IGNORECASE)
_NOTE = re.compile(r"^\s*(\d{1,3}|[*†‡§])[.)]?\s+\S")
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
ZONE = 2  # lines at the top and at the bottom that may be running heads or feet
REPEAT_SHARE = 0.4


@dataclass
class _Line:
    text: str  # stripped
    indent: int
    page: int  # 1-based PDF page
    gap_before: bool


@dataclass
class _Paragraph:
    page: int
    lines: list[str] = field(default_factory=list)


def _normalise(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def page_lines(reader) -> list[list[str]]:
    """Each page's text lines in layout mode (plain mode where layout fails)."""
    pages = []
    for number, page in enumerate(reader.pages, 1):
        try:
            text = page.extract_text(extraction_mode="layout")
        except Exception as exc:  # pypdf raises a variety of errors on odd content streams
            log.info("page %d: layout extraction failed (%s); plain mode", number, exc)
            text = page.extract_text() or ""
        pages.append([line.rstrip() for line in (text or "").splitlines()])
    return pages


def running_lines(pages: list[list[str]]) -> set[str]:
    """Normalised lines that recur in the top or bottom zone of many pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        body = [line for line in lines if line.strip()]
        counts.update({_normalise(line) for line in body[:ZONE] + body[-ZONE:]})
    threshold = max(2, int(REPEAT_SHARE * len(pages) + 0.5))
    return {line for line, n in counts.items() if n >= threshold and line.replace("#", "").strip()}


def clean_page(lines: list[str], running: set[str]) -> tuple[list[str], int]:
    """The page without running heads/feet, folios and trailing notes; and how many notes went."""
    indices = [i for i, line in enumerate(lines) if line.strip()]
    zone = set(indices[:ZONE] + indices[-ZONE:])
    kept = [line if not (i in zone and (_FOLIO.match(line.strip()) or _normalise(line) in running)) else ""
            for i, line in enumerate(lines)]
    top = indices[0] if indices else None
    if top is not None and kept[top] and top + 1 < len(lines) and not lines[top + 1].strip() \
            and is_heading(kept[top].strip()):
        kept[top] = ""  # a page's top line set apart by a gap: a running head seen once (a chapter title)
    while kept and not kept[-1].strip():
        kept.pop()
    notes = 0
    for _ in range(3):  # trailing blocks of numbered notes, each after a gap
        end = len(kept)
        start = end
        while start > 0 and kept[start - 1].strip():
            start -= 1
        if start == 0 or start == end or not _NOTE.match(kept[start]):
            break
        notes += 1
        del kept[start:]
        while kept and not kept[-1].strip():
            kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    return kept, notes


def _lines(pages: list[list[str]]) -> list[_Line]:
    out: list[_Line] = []
    for number, lines in enumerate(pages, 1):
        body = [line for line in lines if line.strip()]
        margin = min((len(line) - len(line.lstrip()) for line in body), default=0)
        gap = False
        for line in lines:
            if not line.strip():
                gap = True
                continue
            out.append(_Line(line.strip(), len(line) - len(line.lstrip()) - margin, number, gap))
            gap = False
    return out


def paragraphs_of(lines: list[_Line]) -> list[_Paragraph]:
    """Group lines into paragraphs (see the module docstring for the rule)."""
    if not lines:
        return []
    widths = sorted(len(line.text) for line in lines)
    full = widths[int(0.9 * (len(widths) - 1))]
    paragraphs: list[_Paragraph] = []
    previous: _Line | None = None
    for line in lines:
        new_page = previous is not None and line.page != previous.page
        short = previous is not None and len(previous.text) < 0.75 * full
        starts = (previous is None or line.indent >= 2 or (line.gap_before and not new_page)
                  or (short and (ends_sentence(previous.text) or is_heading(previous.text))))
        if starts:
            paragraphs.append(_Paragraph(line.page))
        paragraphs[-1].lines.append(line.text)
        previous = line
    return paragraphs


def _pdf_date(value: object) -> str | None:
    match = _PDF_DATE.match(str(value or ""))
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    return f"{year}-{month}-{day}"


def read_pdf(data: bytes, name: str) -> BookText:
    """Read a PDF book into paragraphs located by PDF page (1-based) and index on that page."""
    book = BookText(format="pdf")
    with open_pdf(data, name) as reader:  # limits on pages and decoded size; one error type
        pages = page_lines(reader)
        info = reader.metadata or {}
        book.title = str(info.get("/Title") or "") or None
        author = str(info.get("/Author") or "")
        book.creators = [author] if author else []
        book.date = _pdf_date(info.get("/CreationDate"))
    running = running_lines(pages)
    cleaned, notes = [], 0
    for lines in pages:
        kept, dropped = clean_page(lines, running)
        cleaned.append(kept)
        notes += dropped
    counters: Counter[int] = Counter()
    heading = ""
    for paragraph in paragraphs_of(_lines(cleaned)):
        text = join_lines(paragraph.lines)
        if len(paragraph.lines) == 1 and is_heading(text):
            heading = text
            continue
        where = f"page-{paragraph.page}"
        book.paragraphs.append(BookParagraph(where, counters[paragraph.page], text, heading=heading))
        counters[paragraph.page] += 1
    book.meta.update({"pages": len(pages), "running_lines_removed": sorted(running), "notes_dropped": notes})
    if not book.paragraphs and pages:
        book.notes.append(f"{name}: no text layer on {len(pages)} pages (a scan? OCR is out of scope)")
    return book
