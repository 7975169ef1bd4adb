"""Parse local files of any supported format, detecting the format when no source is named."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from extractors import committees, govuk, inquiry, library, ministers_reflect_page, parlparse
from extractors.errors import ParseError
from extractors.limits import current
from extractors.members import Members
from extractors.neutralise import neutralise
from extractors.passage import Document

LocalParser = Callable[[bytes, str], Document]
LocalReader = Callable[[Path, bytes], bytes]

_PARLPARSE_NAME = re.compile(r"^(debates|westminster|daylord|ministerial|lordswms)\d{4}-\d{2}-\d{2}[a-z]+\.xml$")


def _parlparse(source: str | None) -> LocalParser:
    return lambda data, name: parlparse.parse_sitting(data, name, Members(), source)


PARSERS: dict[str, LocalParser] = {
    "hansard": _parlparse(None),
    "hansard_wms": _parlparse(None),
    "inquiry": lambda data, name: inquiry.parse(data, name),
    "govuk": lambda data, name: govuk.parse_content(data, name),
    "ministers_reflect": lambda data, name: ministers_reflect_page.parse_page(data, name),
    "library": lambda data, name: library.parse_book(data),
    "committees": committees.parse_local,
}
# Sources whose raw item is more than the file itself (a book with its sidecar beside it).
READERS: dict[str, LocalReader] = {"library": library.read_local}


def detect(name: str, data: bytes) -> str:
    """The source whose format this file is in; ParseError when none fits."""
    base = Path(name).name
    head = data[:4096].lstrip()
    if _PARLPARSE_NAME.match(base) or (head.startswith(b"<") and b"<publicwhip" in data[:8192]):
        return "hansard_wms" if base.startswith(("ministerial", "lordswms")) else "hansard"
    if base.endswith(".rst") and b"**" in data[:20000]:
        return "inquiry"
    if committees.looks_like_transcript(base, data):  # before any generic PDF/HTML reader
        return "committees"
    if head.startswith(b"{") and b'"base_path"' in data and b'"schema_name"' in data:
        return "govuk"  # a GOV.UK Content API item
    if ministers_reflect_page.looks_like_page(data):
        return "ministers_reflect"
    if library.book_format(base, data):
        return "library"  # EPUB, PDF or TXT: last, so that other PDF formats are tried first
    raise ParseError(f"{name}: unsupported format (known: {', '.join(sorted(PARSERS))})")


def parse_local(path: Path, source: str | None = None) -> Document:
    """Parse one local file; ParseError (naming the file) when it cannot be read."""
    try:
        size = Path(path).stat().st_size
        if size > current().max_response_bytes:
            raise ParseError(f"{path}: refused: {size} bytes (limit {current().max_response_bytes})")
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot read ({exc.strerror})") from exc
    if source is None and library.has_sidecar(Path(path)):
        source = "library"
    source = source or detect(path.name, data)
    try:
        parser = PARSERS[source]
    except KeyError:
        raise ParseError(f"{path}: no local parser for source {source!r}") from None
    if source in READERS:
        data = READERS[source](Path(path), data)
    return neutralise(parser(data, Path(path).name))
