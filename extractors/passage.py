"""The shared passage and document models: what every extractor's `parse` produces."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractors.vocab import ROLES, SOURCE_TYPES

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ud800-\udfff]")
_C1 = re.compile(r"[\x80-\x9f]")


def _c1_as_cp1252(match: re.Match) -> str:
    """A C1 control is almost always a Windows-1252 byte decoded as Latin-1 (0x92 for ’)."""
    try:
        return bytes([ord(match.group())]).decode("cp1252")
    except UnicodeDecodeError:
        return ""


def clean_text(text: str) -> str:
    """NFC-normalise, drop control characters, NULs, BOMs and lone surrogates, and collapse white space."""
    text = _CONTROL.sub("", text)
    if _C1.search(text):
        text = _C1.sub(_c1_as_cp1252, text)
    text = unicodedata.normalize("NFC", text)
    return _SPACE.sub(" ", text).strip()


def text_hash(text: str) -> str:
    """The content hash of a passage's text: sha256 of its cleaned form."""
    return hashlib.sha256(clean_text(text).encode("utf-8")).hexdigest()


def make_passage_id(source: str, document_id: str, locator: str) -> str:
    """A stable passage id derived from source + document id + locator."""
    digest = hashlib.sha256(f"{source}\x1f{document_id}\x1f{locator}".encode()).hexdigest()
    return f"p{digest[:19]}"


class Passage(BaseModel):
    """One paragraph-sized unit of text, exactly the passage JSONL shape of CONTRACTS.md."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    passage_id: str
    document_id: str
    source: str
    source_type: str
    url: str | None = None
    locator: str
    date: date
    speaker: str | None = None
    speaker_id: str | None = None
    role: str = "unknown"
    party: str | None = None
    department: str | None = None
    text: str
    context: str = ""
    content_hash: str

    @field_validator("source_type")
    @classmethod
    def _known_source_type(cls, value: str) -> str:
        if value not in SOURCE_TYPES:
            raise ValueError(f"source_type {value!r} not in {SOURCE_TYPES}")
        return value

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        if value not in ROLES:
            raise ValueError(f"role {value!r} not in {ROLES}")
        return value

    @model_validator(mode="after")
    def _hash_matches(self) -> "Passage":
        if self.content_hash != text_hash(self.text):
            raise ValueError("content_hash does not match text")
        return self

    @classmethod
    def build(
        cls,
        *,
        source: str,
        source_type: str,
        document_id: str,
        locator: str,
        text: str,
        passage_id: str | None = None,
        **fields: object,
    ) -> "Passage":
        """Build a passage, deriving its id and content hash."""
        text = clean_text(text)
        return cls(
            passage_id=passage_id or make_passage_id(source, document_id, locator),
            document_id=document_id,
            source=source,
            source_type=source_type,
            locator=locator,
            text=text,
            content_hash=text_hash(text),
            **fields,
        )

    def to_json_record(self) -> dict:
        """The passage JSONL object of CONTRACTS.md (`id` equals `passage_id`)."""
        record = self.model_dump(mode="json")
        return {"id": self.passage_id, **record}


class Document(BaseModel):
    """One source item (a sitting, a speech, a transcript, a book) and its passages."""

    model_config = ConfigDict(extra="forbid")

    document_id: str
    source: str
    source_type: str
    item_id: str
    version: str = ""
    url: str | None = None
    title: str = ""
    date: date
    passages: list[Passage] = Field(default_factory=list)
    meta: dict = Field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """A hash over everything stored for the document, used to tell `unchanged`."""
        h = hashlib.sha256()
        h.update(f"{self.document_id}|{self.title}|{self.date}|{self.url}".encode())
        for p in self.passages:
            h.update(
                "\x1e".join(
                    str(v)
                    for v in (p.locator, p.content_hash, p.speaker, p.speaker_id, p.role,
                              p.party, p.department, p.date, p.context, p.url)
                ).encode()
            )
        return h.hexdigest()


def context_before(previous_texts: list[str], max_sentences: int = 2, max_chars: int = 400) -> str:
    """The last one or two sentences before a passage, from the same document."""
    joined = " ".join(t for t in previous_texts[-2:] if t)
    if not joined:
        return ""
    sentences = split_sentences(joined)
    tail = " ".join(sentences[-max_sentences:])
    return tail[-max_chars:].lstrip()


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split text at sentence boundaries (a light rule; good enough for context and chunking)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def chunk_words(text: str, max_words: int = 250) -> list[str]:
    """Split a long turn at sentence boundaries into chunks of at most `max_words` words."""
    if len(text.split()) <= max_words:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in split_sentences(text):
        words = sentence.split()
        while len(words) > max_words:  # a single runaway sentence: hard split
            if current:
                chunks.append(" ".join(current))
                current, count = [], 0
            chunks.append(" ".join(words[:max_words]))
            words = words[max_words:]
        if count + len(words) > max_words and current:
            chunks.append(" ".join(current))
            current, count = [], 0
        current.append(" ".join(words))
        count += len(words)
    if current:
        chunks.append(" ".join(current))
    return chunks
