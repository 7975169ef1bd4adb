"""A book's text as the library readers produce it, and the plain-text (TXT) reader.

Every reader (EPUB, PDF, TXT) turns a book into a `BookText`: its own metadata and a list of
`BookParagraph`s, each knowing where it sits (spine href, PDF page or file name), its index
there, and any diary-entry anchor or print page. `extractors/library.py` turns these into
passages with the sidecar's author, role and published date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.passage import chunk_words, clean_text

_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_HYPHEN_END = re.compile(r"(?<=[A-Za-z])[-‐]$")
_LOWER_START = re.compile(r"^[a-z]")
MAX_HEADING_WORDS = 10
_ABBREVIATION = re.compile(r"\b(Mr|Mrs|Ms|Dr|St|Lt|Col|Gen|Capt|Rev|Hon|Rt|No|Co|Jr|Sr|Prof|[A-Z])\. (?=[A-Z])")
_DOT = "\ue000"  # a private-use stand-in for the abbreviation's full stop while chunking


@dataclass(frozen=True)
class BookParagraph:
    """One paragraph of a book, with what is needed to find it again."""

    where: str  # spine href (EPUB), `page-N` (PDF) or the file name (TXT)
    index: int  # 0-based paragraph index within `where`
    text: str
    anchor: str | None = None  # the enclosing diary entry's id, where there is one
    page: str | None = None  # the print page the paragraph starts on, where the book marks pages
    heading: str = ""  # the nearest heading before it
    entry_date: str | None = None  # a diary entry's <time datetime>


@dataclass
class BookText:
    """What a reader found in a book file."""

    format: str  # epub | pdf | txt
    paragraphs: list[BookParagraph] = field(default_factory=list)
    title: str | None = None
    creators: list[str] = field(default_factory=list)
    date: str | None = None  # the book's own publication date, where it carries one
    identifier: str | None = None
    language: str | None = None
    notes: list[str] = field(default_factory=list)  # what was skipped or repaired, in words
    meta: dict = field(default_factory=dict)


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip()))


def is_heading(text: str) -> bool:
    """A short line without closing punctuation (a chapter or section title), or all capitals."""
    words = text.split()
    if not words:
        return False
    if len(words) <= MAX_HEADING_WORDS and not ends_sentence(text):
        return True
    letters = [c for c in text if c.isalpha()]
    return len(words) <= 2 * MAX_HEADING_WORDS and bool(letters) and all(c.isupper() for c in letters)


def join_lines(lines: list[str]) -> str:
    """Re-join hard-wrapped lines into one paragraph, removing line-end hyphenation."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif _HYPHEN_END.search(out) and _LOWER_START.match(line):
            out = out[:-1] + line  # "adminis-" + "tration" -> "administration"
        else:
            out = f"{out} {line}"
    return clean_text(out)


def chunk_paragraph(text: str, max_words: int) -> list[str]:
    """Split an over-long paragraph at sentence ends, never after "Mr." or an initial ("W. Coventry")."""
    protected = _ABBREVIATION.sub(lambda m: f"{m.group(1)}{_DOT} ", text)
    return [chunk.replace(_DOT, ".") for chunk in chunk_words(protected, max_words)]


def decode_text(data: bytes, name: str, notes: list[str]) -> str:
    """UTF-8 (with or without BOM); Windows-1252 as a noted fallback."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{name}: not UTF-8; read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def read_txt(data: bytes, name: str) -> BookText:
    """Paragraphs are blocks separated by blank lines; short unpunctuated blocks are headings."""
    book = BookText(format="txt")
    text = decode_text(data, name, book.notes).replace("\r\n", "\n").replace("\r", "\n")
    heading = ""
    index = 0
    for block in re.split(r"\n[ \t\f]*\n", text):
        paragraph = join_lines(block.splitlines())
        if not paragraph:
            continue
        if is_heading(paragraph):
            heading = paragraph
            if book.title is None and index == 0:
                book.title = paragraph
            continue
        book.paragraphs.append(BookParagraph(name, index, paragraph, heading=heading))
        index += 1
    return book
