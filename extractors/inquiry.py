"""Statutory inquiry transcripts in the reStructuredText form of the UK Covid-19 Inquiry files.

One file per hearing day (`YYYY-MM-DD.rst`); a section heading per witness, underlined with
dashes; one paragraph per speaker turn, `**Name**: text`, with unlabelled paragraphs continuing
the previous speaker. A passage is one turn; a turn over 250 words is split at sentence
boundaries. The locator is `file:line:chunk` (1-based line of the turn, 0-based chunk).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import PurePosixPath

from extractors.errors import ParseError
from extractors.passage import Document, Passage, chunk_words, clean_text, context_before

SOURCE = "inquiry"
SOURCE_TYPE = "committee_evidence"
MAX_WORDS = 250

_TURN = re.compile(r"^\*\*(?P<label>[^*]{1,120})\*\*:\s*(?P<text>.*)$")
_UNDERLINE = re.compile(r"^([-=^~#*+])\1{2,}\s*$")
_STAGE = re.compile(r"^\*\(.*\)\*\s*$|^\*[A-Z][^*]*\*\s*$")
_DATE_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_GENERIC = {"the witness", "witness"}


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
