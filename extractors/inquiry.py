"""Statutory inquiry transcripts in the reStructuredText form of the UK Covid-19 Inquiry files.

One file per hearing day (`YYYY-MM-DD.rst`); a section heading per witness, underlined with
dashes; one paragraph per speaker turn, `**Name**: text`, with unlabelled paragraphs continuing
the previous speaker. A passage is one turn; a turn over 250 words is split at sentence
boundaries. The locator is `file:line:chunk` (1-based line of the turn, 0-based chunk).

The `inquiry` source (InquiryExtractor) discovers hearing days in Matthew Somerville's
conversion, the GitHub repository dracos/uk-covid19-inquiry, through the GitHub REST API's
"get repository content" route (`/repos/{owner}/{repo}/contents/{path}`): the root listing gives
the `module-*` folders, each folder's listing its `YYYY-MM-DD.rst` days with their blob sha and
`download_url` (raw.githubusercontent.com), from which each day is fetched. That is one request
per module a night, well inside the API's 60 unauthenticated requests an hour. The cursor is the
hearing day + `:` + module, so a night picks up the days added since the watermark; a day's
transcript corrected later is picked up by a backfill (`--since`). Speakers' roles come from the
project's witness table (extractors/data/inquiry_witnesses.json), `unknown` for anyone not in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, ValidationError

from extractors.base import ItemRef, RawItem, fetch_url
from extractors.errors import ParseError
from extractors.http import HttpClient
from extractors.passage import Document, Passage, chunk_words, clean_text, context_before

SOURCE = "inquiry"
SOURCE_TYPE = "committee_evidence"
MAX_WORDS = 250

_TURN = re.compile(r"^\*\*(?P<label>[^*]{1,120})\*\*:\s*(?P<text>.*)$")
_UNDERLINE = re.compile(r"^([-=^~#*+])\1{2,}\s*$")
_STAGE = re.compile(r"^\*\(.*\)\*\s*$|^\*[A-Z][^*]*\*\s*$")
_DATE_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_GENERIC = {"the witness", "witness"}
_MODULE = re.compile(r"(module-[0-9a-z]+)", re.I)
_DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.rst$")
CONTENTS_URL = "https://api.github.com/repos/dracos/uk-covid19-inquiry/contents"
GITHUB_JSON = {"Accept": "application/vnd.github+json"}


@dataclass(frozen=True)
class Turn:
    """A speaker turn as written in the transcript."""

    line: int
    label: str
    witness_section: str | None
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.paragraphs)


@lru_cache(maxsize=1)
def witness_roles() -> dict[str, dict]:
    """The project's witness → role table (extractors/data/inquiry_witnesses.json)."""
    raw = resources.files("extractors").joinpath("data/inquiry_witnesses.json").read_text("utf-8")
    table = json.loads(raw)["witnesses"]
    return {_norm_name(name): entry | {"name": name} for name, entry in table.items()}


def _norm_name(label: str) -> str:
    label = re.sub(r"\s+(KC|QC)$", "", label.strip())
    return re.sub(r"\s+", " ", label).lower()


def hearing_date(file_name: str) -> date:
    """The hearing day, from a name such as `2023-11-08.rst` or `..._module-2_2023-11-08.rst`."""
    match = _DATE_NAME.search(file_name)
    if not match:
        raise ParseError(f"{file_name}: no YYYY-MM-DD hearing date in the file name")
    return date(*(int(g) for g in match.groups()))


def collection_of(file_name: str) -> str:
    """The inquiry module a file belongs to (`module-2`), from its path or name; '' when none."""
    match = _MODULE.search(file_name)
    return match.group(1).lower() if match else ""


def read_turns(text: str) -> list[Turn]:
    """The speaker turns of a transcript, in order."""
    lines = text.splitlines()
    turns: list[Turn] = []
    section: str | None = None
    label: str | None = None
    start = 0
    paragraphs: list[str] = []

    def close() -> None:
        nonlocal label, paragraphs
        if label is not None and paragraphs:
            turns.append(Turn(start, label, section, tuple(paragraphs)))
        label, paragraphs = None, []

    for index, line in enumerate(lines):
        stripped = line.strip()
        nxt = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if not stripped or _UNDERLINE.match(stripped):
            continue
        if _UNDERLINE.match(nxt) and len(nxt) >= max(3, len(stripped) - 2):
            close()
            if nxt[0] == "-":  # a witness section; other underlines are sub-headings
                section = stripped
            continue
        if _STAGE.match(stripped):
            continue
        match = _TURN.match(stripped)
        if match:
            close()
            label, start = match["label"].strip(), index + 1
            paragraphs = [match["text"]] if match["text"].strip() else []
        elif label is not None:
            paragraphs.append(stripped)
    close()
    return turns


def resolve_speaker(label: str, section: str | None) -> tuple[str, dict | None]:
    """The speaker's name and table entry; `The Witness` is the current section's witness."""
    name = section if _norm_name(label) in _GENERIC and section else label
    return name, witness_roles().get(_norm_name(name))


def parse(raw: bytes, file_name: str, *, url: str | None = None, collection: str = "") -> Document:
    """Parse one hearing day into a document of turn passages (pure)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{file_name}: not UTF-8 ({exc})") from exc
    day = hearing_date(file_name)
    collection = collection or collection_of(file_name)
    turns = read_turns(text)
    if not turns:
        raise ParseError(f"{file_name}: no `**Name**: text` speaker turns found")
    stem = PurePosixPath(file_name).name
    natural = f"{collection}/{day.isoformat()}" if collection else day.isoformat()
    document_id = f"{SOURCE}:{natural}"
    passages: list[Passage] = []
    previous: list[str] = []
    for turn in turns:
        speaker, entry = resolve_speaker(turn.label, turn.witness_section)
        for chunk_index, chunk in enumerate(chunk_words(clean_text(turn.text), MAX_WORDS)):
            passages.append(
                Passage.build(
                    source=SOURCE,
                    source_type=SOURCE_TYPE,
                    document_id=document_id,
                    locator=f"{stem}:{turn.line}:{chunk_index}",
                    text=chunk,
                    url=url,
                    date=day,
                    speaker=speaker,
                    speaker_id=entry.get("id") if entry else None,
                    role=entry["role"] if entry else "unknown",
                    party=entry.get("party") if entry else None,
                    department=entry.get("department") if entry else None,
                    context=context_before(previous),
                )
            )
            previous.append(chunk)
    return Document(
        document_id=document_id,
        source=SOURCE,
        source_type=SOURCE_TYPE,
        item_id=natural,
        url=url,
        title=f"UK Covid-19 Inquiry hearing, {day:%d %B %Y}",
        date=day,
        passages=passages,
    )


# -- the `inquiry` source ---------------------------------------------------------------------

class ContentEntry(BaseModel):
    """One entry of a GitHub `contents` listing."""

    model_config = ConfigDict(extra="ignore")

    name: str
    path: str
    sha: str
    type: str
    download_url: str | None = None


def read_contents(raw: bytes, url: str) -> list[ContentEntry]:
    try:
        entries = json.loads(raw)
        if not isinstance(entries, list):
            raise ValueError("expected a JSON array of entries")
        return [ContentEntry.model_validate(e) for e in entries]
    except (ValueError, ValidationError) as exc:
        raise ParseError(f"{url}: not a GitHub contents listing ({str(exc).splitlines()[0]})") from exc


def cursor_from_date(day: date) -> str:
    return f"{day.isoformat()}:"


class InquiryExtractor:
    """The `inquiry` source: statutory inquiry hearing transcripts, one document per hearing day."""

    source = SOURCE

    def __init__(self, contents_url: str = CONTENTS_URL) -> None:
        self.contents_url = contents_url.rstrip("/")

    def cursor_from_date(self, day: date) -> str:
        return cursor_from_date(day)

    def discover(self, client: HttpClient, since: str | None) -> list[ItemRef]:
        root = self._listing(client, self.contents_url)
        refs: list[ItemRef] = []
        for folder in sorted((e for e in root if e.type == "dir" and _MODULE.fullmatch(e.name)), key=lambda e: e.name):
            for entry in self._listing(client, f"{self.contents_url}/{folder.path}"):
                if entry.type != "file" or not _DAY_FILE.match(entry.name) or not entry.download_url:
                    continue
                day = entry.name[:10]
                module = folder.name.lower()
                cursor = f"{day}:{module}"
                if since and cursor <= since:
                    continue
                refs.append(ItemRef(source=SOURCE, item_id=f"{module}/{day}", url=entry.download_url,
                                    cursor=cursor, version=entry.sha,
                                    meta={"document_id": f"{SOURCE}:{module}/{day}", "path": entry.path}))
        return sorted(refs, key=lambda r: r.cursor)

    def _listing(self, client: HttpClient, url: str) -> list[ContentEntry]:
        return read_contents(client.get(url, source=SOURCE, headers=GITHUB_JSON).data, url)

    def fetch(self, client: HttpClient, ref: ItemRef) -> RawItem:
        return fetch_url(client, ref)

    def parse(self, raw: RawItem) -> Document:
        module, _, day = raw.ref.item_id.partition("/")
        return parse(raw.data, f"{day}.rst", url=raw.ref.url, collection=module)
