"""Oral evidence PDFs (the pre-2020 sessions): page text without its furniture, re-joined into paragraphs.

Every page of a Commons transcript PDF carries a running header `Oral evidence: <title>, HC 245
<page>`; other layouts add a footer, a bare page number or numbered lines. These are removed
first: the explicit running-header pattern, any first or last line that repeats (digits aside)
on most pages, bare page numbers at the top or bottom, and line numbers where most lines of a
page carry them. The hard-wrapped lines are then re-joined: a line opens a new paragraph when it
starts a question (`Q156`), a speaker label, or a header field; any other line continues the
paragraph before it.
"""

from __future__ import annotations

import re
from collections import Counter

from extractors.committees_roles import name_like
from extractors.committees_transcript import LABEL_TURN, SITTING_DATE, Block
from extractors.passage import clean_text
from extractors.pdfsafe import open_pdf

RUNNING_HEADER = re.compile(r"^\s*(?:Corrected |Uncorrected )?[Oo]ral evidence:.*\bHC\s*\d+\s+\d+\s*$")
PAGE_NUMBER = re.compile(r"^\s*(?:Page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
LINE_NUMBER = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
OPENS_PARAGRAPH = re.compile(
    r"^(?:Q\s?\d{1,5}\b|(?:Corrected |Uncorrected )?[Oo]ral evidence:|Members present:|Questions?\s+\d|"
    r"Witness(?:es)?\b|Examination of|Ordered by|Written evidence|Watch the meeting|[IVX]+\s*:|"
    r"USE OF THE TRANSCRIPT|\(?\d{1,2}[.:]\d{2}\s*(?:am|pm)\)?$)")
HEADER_BULLET = re.compile(r"^[–—•-]\s")


def pdf_pages(data: bytes, name: str, limit: int | None = None) -> list[list[str]]:
    """The text lines of every page (or of the first `limit` pages), as pypdf extracts them."""
    with open_pdf(data, name) as reader:  # limits on pages and decoded size; one error type
        pages = reader.pages if limit is None else reader.pages[:limit]
        return [(page.extract_text() or "").splitlines() for page in pages]


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", clean_text(line))


def _repeated_edges(pages: list[list[str]]) -> set[str]:
    """First or last lines that recur, digits aside, on at least half the pages (three or more)."""
    counts: Counter[str] = Counter()
    for page in pages:
        edges = {_edge_key(line) for line in (page[:1] + page[-1:])}
        counts.update(edges)
    needed = max(3, (len(pages) + 1) // 2)
    return {key for key, count in counts.items() if count >= needed and key}


def _strip_line_numbers(pages: list[list[str]]) -> list[list[str]]:
    """Drop line numbers where most lines of the document carry a number rising down each page."""
    if sum(1 for page in pages for line in page if BARE_NUMBER.match(line)) >= 5 * max(1, len(pages) // 2):
        pages = [[line for line in page if not BARE_NUMBER.match(line)] for page in pages]  # numbers on lines of their own
    lines = sum(len(page) for page in pages)
    numbered = [[int(m.group(1)) for m in map(LINE_NUMBER.match, page) if m] for page in pages]
    count = sum(len(n) for n in numbered)
    rising = sum(1 for n in numbered for a, b in zip(n, n[1:]) if b > a)
    pairs = sum(max(len(n) - 1, 0) for n in numbered)
    if not lines or count < 0.6 * lines or rising < 0.8 * pairs:
        return pages
    return [[LINE_NUMBER.sub("", line, count=1) for line in page] for page in pages]


def strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Every page's lines without running headers and footers, page numbers and line numbers."""
    pages = [[line.rstrip() for line in page if line.strip()] for page in pages]
    repeated = _repeated_edges(pages)

    def furniture(line: str) -> bool:
        return bool(RUNNING_HEADER.match(line) or PAGE_NUMBER.match(line) or _edge_key(line) in repeated)

    out = []
    for page in pages:
        lines = list(page)
        while lines and furniture(lines[0]):
            lines.pop(0)
        while lines and furniture(lines[-1]):
            lines.pop()
        out.append(lines)
    return _strip_line_numbers(out)


def _opens_paragraph(line: str, in_header: bool) -> bool:
    if OPENS_PARAGRAPH.match(line) or SITTING_DATE.match(line):
        return True
    if in_header and HEADER_BULLET.match(line):
        return True
    match = LABEL_TURN.match(line)
    return bool(match and name_like(match["label"]))


def _join(before: str, line: str) -> str:
    if re.search(r"\S[-—–]$", before):  # a hyphenated word or an unspaced dash runs on
        return before + line
    return f"{before} {line}"


def pdf_blocks(data: bytes, name: str) -> list[Block]:
    """The paragraphs of a transcript PDF, with the page furniture removed and lines re-joined."""
    lines = [clean_text(line) for page in strip_furniture(pdf_pages(data, name)) for line in page]
    paragraphs: list[str] = []
    in_header = True
    for line in lines:
        if not line:
            continue
        if re.match(r"^Q\s?\d{1,5}\b", line):
            in_header = False
        if not paragraphs or _opens_paragraph(line, in_header):
            paragraphs.append(line)
        else:
            paragraphs[-1] = _join(paragraphs[-1], line)
    return [Block(p) for p in paragraphs]
