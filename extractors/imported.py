"""Researchers' own corpora: the `whitehall import` JSONL lines, validated into documents.

Pure: a function of the file's bytes and the import's name. Each good line becomes one
document of one passage under the source `import:NAME`, keyed by the line's `id`, so that
importing the same file again leaves every document `unchanged` (CONTRACTS "import input").
Each bad line is reported with its line number and a reason, for the quarantine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from extractors.passage import Document, Passage, clean_text
from extractors.vocab import IMPORT_PREFIX, ROLES, SOURCE_TYPES

REQUIRED = ("id", "text", "date")
OPTIONAL = ("source_type", "speaker", "role", "party", "context", "url")
DEFAULT_SOURCE_TYPE = "debate"
MAX_ID = 200
MAX_TEXT = 20_000
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ImportLineError(ValueError):
    """One line of an import file that cannot be loaded, with the reason."""


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str

    @property
    def item_id(self) -> str:
        return f"line:{self.line}"

    @property
    def error(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportFile:
    """What an import file holds: documents by line number, and the lines that are bad."""

    source: str
    documents: list[tuple[int, Document]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def lines(self) -> int:
        """Non-blank lines, each one item of the run."""
        return len(self.documents) + len(self.problems)


def import_source(name: str) -> str:
    """`import:NAME` for a valid NAME (lower case letters, digits, '_', '-', '.')."""
    if not _NAME.match(name):
        raise ValueError(f"import name {name!r} must be 1-64 of a-z, 0-9, '_', '-', '.', starting with a letter or digit")
    return f"{IMPORT_PREFIX}{name}"


def default_name(path: Path) -> str:
    """The import name a file gets when none is given: its stem, lower-cased and tidied."""
    stem = re.sub(r"[^a-z0-9_.-]+", "-", path.stem.lower()).strip("-._")
    return stem[:64] or "import"


def parse_import(data: bytes, name: str) -> ImportFile:
    """Validate every line; blank lines are skipped, a repeated id is a bad line."""
    source = import_source(name)
    result = ImportFile(source)
    first_line: dict[str, int] = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            document = parse_line(raw, source)
        except ImportLineError as exc:
            result.problems.append(Problem(number, str(exc)))
            continue
        if document.item_id in first_line:
            result.problems.append(Problem(number, f"duplicate id {document.item_id!r} (first on line "
                                                   f"{first_line[document.item_id]})"))
            continue
        first_line[document.item_id] = number
        result.documents.append((number, document))
    return result


def parse_line(raw: bytes, source: str) -> Document:
    """One line -> a document of one passage; ImportLineError says what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportLineError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportLineError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ImportLineError(f"not a JSON object but {type(record).__name__}")
    missing = [f for f in REQUIRED if record.get(f) in (None, "")]
    if missing:
        raise ImportLineError(f"missing required field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    item_id = _id(record["id"])
    day = _date(record["date"])
    if not isinstance(record["text"], str) or not clean_text(record["text"]):
        raise ImportLineError("text must be a non-empty string")
    if len(record["text"]) > MAX_TEXT:
        raise ImportLineError(f"text is longer than {MAX_TEXT} characters; split it into passages")
    optional = {f: _optional_string(record, f) for f in OPTIONAL}
    source_type = optional["source_type"] or DEFAULT_SOURCE_TYPE
    if source_type not in SOURCE_TYPES:
        raise ImportLineError(f"source_type {source_type!r} is not one of {', '.join(SOURCE_TYPES)}")
    role = optional["role"] or "unknown"
    if role not in ROLES:
        raise ImportLineError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if optional["url"] is not None:
        _url(optional["url"])
    document_id = f"{source}:{item_id}"
    passage = Passage.build(
        source=source, source_type=source_type, document_id=document_id, locator=f"id={item_id}",
        text=record["text"], url=optional["url"], date=day, speaker=optional["speaker"],
        role=role, party=optional["party"], context=clean_text(optional["context"] or ""),
    )
    return Document(document_id=document_id, source=source, source_type=source_type, item_id=item_id,
                    url=optional["url"], date=day, passages=[passage])


def _url(value: str) -> None:
    """Only web links: a `javascript:` or `file:` URL would run or read something when clicked in a report."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ImportLineError(f"url {value[:80]!r} is not an http(s) URL")


def _id(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ImportLineError(f"id must be a string or an integer, not {type(value).__name__}")
    item_id = str(value).strip()
    if not item_id or len(item_id) > MAX_ID or _CONTROL.search(item_id):
        raise ImportLineError(f"id must be 1-{MAX_ID} printable characters")
    return item_id


def _date(value: object) -> date:
    if not isinstance(value, str):
        raise ImportLineError(f"date must be an ISO date string like 2024-03-28, not {type(value).__name__}")
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()
    except ValueError:
        raise ImportLineError(f"date {value!r} is not an ISO date like 2024-03-28") from None


def _optional_string(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ImportLineError(f"{name} must be a string or null, not {type(value).__name__}")
    return value.strip() or None
