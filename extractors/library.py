"""A local library folder of books (EPUB, PDF, TXT), each with a sidecar of metadata.

The folder is `library/` beside the raw archive (by default `$WHITEHALL_DATA_DIR/library/`),
or the one the extractor is given. It holds `<name>.epub|.pdf|.txt`, in sub-folders if you
like, and beside each `<name>.meta.json`:

    {"author": "…", "title": "…", "published": "2019-05-02", "role": "author",
     "party": null, "department": null, "period_from": "2010", "period_to": "2015",
     "id": "…", "author_id": "…", "url": "…", "kind": "memoir"}

Only `published` is required (and not even that for an EPUB whose OPF has `dc:date`). Memoir
passages are dated by the published date; the period written about goes in the document's
meta. The role is the sidecar's, `author` by default (whoever writes a memoir speaks in it as
its author, whatever offices they held before; those belong in the sidecar's other fields).

The raw archive records local files like any fetched response, under `file://library/<path>`
URLs that do not depend on where the folder lives; the folder's listing (path, sha256 and the
time each version was first recorded) is recorded at `file://library/`. A recording client
(live) scans the folder and records what changed; a replay client lists what the archive
holds. `fetch` bundles a book's bytes with its sidecar into one raw item, so that `parse` is a
pure function of raw bytes. Locator: `book:where[#entry]:index[.chunk][;page=N]`, where
`where` is the spine href (EPUB), `page-N` (PDF) or the file name (TXT).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from extractors.archive import utc_now
from extractors.base import ItemRef, RawItem
from extractors.errors import GoneError, ParseError
from extractors.http import HttpClient
from extractors.library_epub import is_epub, read_epub
from extractors.library_pdf import read_pdf
from extractors.library_text import BookText, chunk_paragraph, read_txt
from extractors.passage import Document, Passage, context_before
from extractors.vocab import ROLES

log = logging.getLogger(__name__)

SOURCE = "library"
SOURCE_TYPE = "memoir_interview"
LIBRARY_URL = "file://library/"
LISTING_FORMAT = "whitehall-library-listing/1"
BUNDLE_MAGIC = b"whitehall-library-item/1\n"
BOOK_SUFFIXES = {".epub": "epub", ".pdf": "pdf", ".txt": "txt"}
CONTENT_TYPES = {".epub": "application/epub+zip", ".pdf": "application/pdf", ".txt": "text/plain"}
SIDECAR_SUFFIX = ".meta.json"
MAX_WORDS = 250
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class Sidecar(BaseModel):
    """A book's metadata file. Unknown keys are an error, so that a typo is not silently lost."""

    model_config = ConfigDict(extra="forbid")

    published: str | None = None
    title: str | None = None
    author: str | None = None
    author_id: str | None = None
    role: str = "author"
    party: str | None = None
    department: str | None = None
    period_from: str | None = None
    period_to: str | None = None
    id: str | None = None
    url: str | None = None
    kind: str | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        if value not in ROLES:
            raise ValueError(f"role {value!r} is not one of {', '.join(ROLES)}")
        return value


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "book"


def sidecar_name(book_name: str) -> str:
    """`memoir.epub` → `memoir.meta.json`."""
    path = PurePosixPath(book_name)
    return str(path.with_name(path.stem + SIDECAR_SUFFIX))


def book_format(name: str, data: bytes) -> str | None:
    """epub, pdf or txt, from the bytes where they tell and the suffix otherwise."""
    if is_epub(data):
        return "epub"
    if data.startswith(b"%PDF"):
        return "pdf"
    return BOOK_SUFFIXES.get(PurePosixPath(name).suffix.lower())


def to_date(value: str, what: str) -> date:
    """YYYY-MM-DD, or YYYY-MM / YYYY (the first of the month / year)."""
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(f"{what} {value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    return date(year, month, day)


# -- the raw item: a book and its sidecar in one blob ------------------------------------------

def bundle(book_name: str, book: bytes, sidecar: bytes | None) -> bytes:
    """One raw item: a header line (file name, sidecar text), then the book's bytes."""
    header = {"file": book_name, "sidecar": sidecar.decode("utf-8", errors="replace") if sidecar else None}
    return BUNDLE_MAGIC + json.dumps(header, sort_keys=True, ensure_ascii=True).encode() + b"\n" + book


def unbundle(raw: bytes) -> tuple[str, str | None, bytes]:
    if not raw.startswith(BUNDLE_MAGIC):
        raise ParseError("not a library item (expected a book bundled with its sidecar)")
    header, _, book = raw[len(BUNDLE_MAGIC):].partition(b"\n")
    try:
        meta = json.loads(header)
        return meta["file"], meta.get("sidecar"), book
    except (ValueError, KeyError) as exc:
        raise ParseError(f"library item header unreadable ({exc})") from exc


def read_local(path: Path, data: bytes) -> bytes:
    """The raw item for a book on disk: its bytes with the sidecar beside it, if there is one."""
    side = Path(path).with_name(sidecar_name(Path(path).name))
    return bundle(Path(path).name, data, side.read_bytes() if side.is_file() else None)


def has_sidecar(path: Path) -> bool:
    return Path(path).with_name(sidecar_name(Path(path).name)).is_file()


# -- parsing (pure) ------------------------------------------------------------------------------

def read_sidecar(text: str | None, name: str) -> Sidecar:
    if text is None:
        return Sidecar()
    try:
        return Sidecar.model_validate_json(text)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors())
        raise ParseError(f"{sidecar_name(name)}: invalid sidecar ({problems})") from exc


def read_book(name: str, data: bytes) -> BookText:
    kind = book_format(name, data)
    if kind == "epub":
        return read_epub(data, name)
    if kind == "pdf":
        return read_pdf(data, name)
    if kind == "txt":
        return read_txt(data, name)
    raise ParseError(f"{name}: not an EPUB, PDF or TXT book")


def _published(side: Sidecar, book: BookText, name: str) -> tuple[date, str]:
    try:
        if side.published:
            return to_date(side.published, "published"), "sidecar"
        if book.date:
            return to_date(book.date, "the book's own date"), f"{book.format} metadata"
    except ValueError as exc:
        raise ParseError(f"{name}: {exc}") from exc
    raise ParseError(f"{name}: no published date: add {sidecar_name(name)} with \"published\": \"YYYY-MM-DD\"")


def locator(book_id: str, paragraph, chunk: int | None) -> str:
    where = paragraph.where + (f"#{paragraph.anchor}" if paragraph.anchor else "")
    index = f"{paragraph.index}" + (f".{chunk}" if chunk is not None else "")
    page = f";page={paragraph.page}" if paragraph.page else ""
    return f"{book_id}:{where}:{index}{page}"


def parse_book(raw: bytes) -> Document:
    """Parse a bundled library item (book + sidecar) into a document of paragraph passages."""
    name, sidecar_text, data = unbundle(raw)
    side = read_sidecar(sidecar_text, name)
    book = read_book(name, data)
    day, date_basis = _published(side, book, name)
    if not book.paragraphs:
        raise ParseError(f"{name}: no readable paragraphs ({'; '.join(book.notes) or 'empty book'})")
    book_id = side.id or slug(str(PurePosixPath(name).with_suffix("")))  # "memoirs/x.epub" → memoirs-x
    document_id = f"{SOURCE}:{book_id}"
    author = side.author or (book.creators[0] if book.creators else None)
    role = side.role if author or side.role != "author" else "unknown"
    speaker_id = side.author_id or (f"{SOURCE}:author/{slug(author)}" if author else None)
    passages: list[Passage] = []
    previous: list[str] = []
    for paragraph in book.paragraphs:
        chunks = chunk_paragraph(paragraph.text, MAX_WORDS)
        for number, text in enumerate(chunks):
            passages.append(Passage.build(
                source=SOURCE, source_type=SOURCE_TYPE, document_id=document_id,
                locator=locator(book_id, paragraph, number if len(chunks) > 1 else None),
                text=text, url=side.url, date=day, speaker=author, speaker_id=speaker_id,
                role=role, party=side.party, department=side.department,
                context=context_before(previous) or paragraph.heading,
            ))
            previous.append(text)
    meta = {
        "file": name, "format": book.format, "title": side.title or book.title, "creators": book.creators,
        "published": day.isoformat(), "date_basis": date_basis, "period_from": side.period_from,
        "period_to": side.period_to, "kind": side.kind, "identifier": book.identifier,
        "language": book.language, "paragraphs": len(book.paragraphs), "sidecar": sidecar_text is not None,
        "notes": book.notes, **book.meta,
    }
    return Document(
        document_id=document_id, source=SOURCE, source_type=SOURCE_TYPE, item_id=name,
        url=side.url, title=side.title or book.title or PurePosixPath(name).stem, date=day,
        passages=passages, meta=meta,
    )


# -- the folder and its listing -----------------------------------------------------------------

def file_url(relative: str) -> str:
    return LIBRARY_URL + quote(relative)


def inside(path: Path, folder: Path) -> bool:
    """Whether the file, its links followed, lies in the folder (a link must not read /etc/passwd)."""
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def scan_folder(folder: Path) -> dict[str, Path]:
    """Book files under the folder by relative POSIX path (dot-files and dot-folders skipped)."""
    books = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in relative.split("/")) or not path.is_file():
            continue
        if not inside(path, folder):
            log.warning("library: %s links outside the library folder: not read", relative)
            continue
        if path.suffix.lower() in BOOK_SUFFIXES:
            books[relative] = path
    return books


def _entry(relative: str, data: bytes, previous: dict | None, archive, now: str, kind: str) -> dict:
    """A listing row for one file; the recorded time moves only when the bytes change."""
    sha = hashlib.sha256(data).hexdigest()
    if previous and previous.get(f"{kind}sha256") == sha:
        return {f"{kind}sha256": sha, f"{kind}recorded_at": previous[f"{kind}recorded_at"]}
    content_type = "application/json" if kind else CONTENT_TYPES.get(PurePosixPath(relative).suffix.lower())
    archive.record(file_url(relative), data, fetched_at=now, source=SOURCE, content_type=content_type)
    return {f"{kind}sha256": sha, f"{kind}recorded_at": now}


def record_folder(folder: Path, archive, previous: dict, now: str) -> dict:
    """Record new or changed files and return the folder's listing (recorded too)."""
    old = {row["path"]: row for row in previous.get("books", [])}
    rows = []
    for relative, path in scan_folder(folder).items():
        row = {"path": relative, **_entry(relative, path.read_bytes(), old.get(relative), archive, now, "")}
        side = path.with_name(sidecar_name(path.name))
        if side.is_file() and inside(side, folder):
            row["sidecar"] = sidecar_name(relative)
            row.update(_entry(row["sidecar"], side.read_bytes(), old.get(relative), archive, now, "sidecar_"))
        rows.append(row)
    listing = {"format": LISTING_FORMAT, "books": rows}
    archive.record(LIBRARY_URL, listing_bytes(listing), fetched_at=now, source=SOURCE,
                   content_type="application/json")
    return listing


def listing_bytes(listing: dict) -> bytes:
    return json.dumps(listing, indent=1, sort_keys=True).encode()


def read_listing(archive) -> dict:
    entry = archive.latest(LIBRARY_URL)
    if entry is None:
        return {"format": LISTING_FORMAT, "books": []}
    try:
        listing = json.loads(archive.read(entry.sha256))
    except ValueError as exc:
        raise ParseError(f"{LIBRARY_URL}: listing unreadable ({exc})") from exc
    if listing.get("format") != LISTING_FORMAT:
        raise ParseError(f"{LIBRARY_URL}: unknown listing format {listing.get('format')!r}")
    return listing


def cursor_of(row: dict) -> str:
    """When this version of the book (or of its sidecar) was first recorded, then its path."""
    return f"{max(row['recorded_at'], row.get('sidecar_recorded_at') or '')}|{row['path']}"


class LibraryExtractor:
    """The `library` source: a folder of books, through the raw archive."""

    source = SOURCE

    def __init__(self, folder: Path | None = None, clock=utc_now) -> None:
        self.folder = Path(folder) if folder else None
        self.clock = clock
        self.notes: list[str] = []

    def folder_for(self, client: HttpClient) -> Path:
        """The configured folder, or `library/` beside the raw archive (`$WHITEHALL_DATA_DIR/library`)."""
        return self.folder or Path(client.archive.root).parent / "library"

    def cursor_from_date(self, day: date) -> str:
        return day.isoformat()

    def discover(self, client: HttpClient, since: str | None) -> list[ItemRef]:
        archive = client.archive
        listing = read_listing(archive)
        if client.record:  # live: the folder is the source; record what changed
            folder = self.folder_for(client)
            if folder.is_dir():
                listing = record_folder(folder, archive, listing, self.clock())
            else:
                self.notes.append(f"library folder {folder} is absent: nothing to discover")
                return []
        refs = []
        for row in listing["books"]:
            cursor = cursor_of(row)
            if since and cursor <= since:
                continue
            refs.append(ItemRef(source=SOURCE, item_id=row["path"], url=file_url(row["path"]), cursor=cursor,
                                meta={"sha256": row["sha256"], "sidecar": row.get("sidecar"),
                                      "sidecar_sha256": row.get("sidecar_sha256")}))
        return sorted(refs, key=lambda r: r.cursor)

    def fetch(self, client: HttpClient, ref: ItemRef) -> RawItem:
        """The book and its sidecar from the archive, bundled (and stored) as one raw item."""
        archive = client.archive
        try:
            book = archive.read(ref.meta["sha256"])
            sidecar = archive.read(ref.meta["sidecar_sha256"]) if ref.meta.get("sidecar_sha256") else None
        except FileNotFoundError as exc:
            raise GoneError(f"{ref.url}: recorded in the listing but its bytes are not in the archive") from exc
        raw = bundle(ref.item_id, book, sidecar)
        return RawItem(ref, raw, archive.store(raw))

    def parse(self, raw: RawItem) -> Document:
        return parse_book(raw.data)
