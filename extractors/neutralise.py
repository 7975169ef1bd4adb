"""Make any parsed document safe to store, whatever its source sent.

Applied to every document after `parse` (by `acquire` and `whitehall parse`), so one place
enforces what the warehouse and a researcher's terminal may receive:

- every string field, metadata included, loses control characters (C0 and C1: NUL, ESC, the
  CSI that starts terminal escape sequences), byte-order marks and lone surrogates (which no
  UTF-8 encoder accepts); a passage left with no text is dropped;
- a passage longer than `max_passage_chars` is split at sentence boundaries (then words, then
  characters) into numbered parts: part 1 keeps the locator and id, part k gets `locator~k`;
- passage ids are unique within the document (a repeated locator gets `~dupN`);
- a document with more than `max_document_passages` passages is refused (ParseError).

Whatever was changed is flagged in `document.meta["neutralised"]`; nothing is silently lost.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.errors import ParseError
from extractors.limits import Limits, current
from extractors.passage import Document, Passage, clean_text, context_before, make_passage_id, split_sentences, text_hash

_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")


def safe_string(value: str) -> str:
    """The string without control characters, BOMs or lone surrogates (see clean_text)."""
    return clean_text(value) if _UNSAFE.search(value) else value


def _safe_value(value: Any) -> Any:
    if isinstance(value, str):
        return safe_string(value)
    if isinstance(value, dict):
        return {safe_string(str(k)): _safe_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe_value(v) for v in value]
    return value


def split_text(text: str, max_chars: int) -> list[str]:
    """Parts of at most `max_chars` characters, cut at sentence, then word, then character."""
    if len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    for sentence in split_sentences(text):
        while len(sentence) > max_chars:
            cut = sentence.rfind(" ", 0, max_chars + 1)
            cut = cut if cut > max_chars // 2 else max_chars
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if sentence:
            pieces.append(sentence)
    parts: list[str] = []
    for piece in pieces:
        if parts and len(parts[-1]) + 1 + len(piece) <= max_chars:
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return parts


def _clean_passage(p: Passage) -> tuple[Passage, bool]:
    fields = {name: getattr(p, name) for name in ("url", "locator", "speaker", "speaker_id", "party",
                                                  "department", "context", "document_id", "passage_id")}
    cleaned = {k: safe_string(v) if isinstance(v, str) else v for k, v in fields.items()}
    text = safe_string(p.text)
    if cleaned == fields and text == p.text:
        return p, False
    return p.model_copy(update={**cleaned, "text": text, "content_hash": text_hash(text)}), True


def neutralise(document: Document, limits: Limits | None = None) -> Document:
    """The document, safe to store (see the module docstring); ParseError if it is too big."""
    limits = limits or current()
    if len(document.passages) > limits.max_document_passages:
        raise ParseError(f"{document.item_id}: refused: {len(document.passages)} passages "
                         f"(limit {limits.max_document_passages})")
    flags = {"cleaned_passages": 0, "dropped_empty": 0, "split_passages": 0, "renamed_duplicates": 0}
    passages: list[Passage] = []
    for passage in document.passages:
        passage, changed = _clean_passage(passage)
        flags["cleaned_passages"] += changed
        if not passage.text:
            flags["dropped_empty"] += 1
            continue
        parts = split_text(passage.text, limits.max_passage_chars)
        if len(parts) == 1:
            passages.append(passage)
            continue
        flags["split_passages"] += 1
        for k, part in enumerate(parts, 1):
            locator = passage.locator if k == 1 else f"{passage.locator}~{k}"
            passages.append(passage.model_copy(update={
                "text": part, "content_hash": text_hash(part), "locator": locator,
                "passage_id": passage.passage_id if k == 1 else make_passage_id(
                    passage.source, passage.document_id, locator),
                "context": passage.context if k == 1 else context_before([parts[k - 2]]),
            }))
    seen: dict[str, int] = {}
    for index, passage in enumerate(passages):
        if passage.passage_id in seen:
            seen[passage.passage_id] += 1
            locator = f"{passage.locator}~dup{seen[passage.passage_id]}"
            passages[index] = passage.model_copy(update={
                "locator": locator, "passage_id": make_passage_id(passage.source, passage.document_id, locator)})
            flags["renamed_duplicates"] += 1
        seen.setdefault(passages[index].passage_id, 1)
    if document.passages and not passages:
        raise ParseError(f"{document.item_id}: no text left after removing control characters")
    header = {k: getattr(document, k) for k in ("document_id", "item_id", "version", "url", "title")}
    safe_header = {k: safe_string(v) if isinstance(v, str) else v for k, v in header.items()}
    meta = _safe_value(document.meta)
    flags = {k: v for k, v in flags.items() if v}
    if flags:
        meta = {**meta, "neutralised": {**flags, "max_passage_chars": limits.max_passage_chars}}
    if not flags and safe_header == header and meta == document.meta:
        return document
    return document.model_copy(update={**safe_header, "passages": passages, "meta": meta})
