"""`whitehall classify`: passage JSONL in, one classification per line out, in input order.

Input lines need `text` (and an `id`, else the line number is the id); `context` is optional
and other fields are ignored, so `whitehall parse` output feeds straight in. A line that
cannot be read gives `{"id", "line", "error"}` and the run goes on. Lines stream through in
chunks, so memory stays flat however long the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import IO, Iterable, Iterator

from classifiers.base import Classifier, PassageInput

CHUNK_LINES = 512
MAX_TEXT_CHARS = 100_000


@dataclass
class ClassifyStats:
    lines: int = 0
    classified: int = 0
    errors: int = 0


def _read_line(number: int, raw: str) -> tuple[object, PassageInput | None, str | None]:
    """(id, input or None, error or None) for one input line."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        return number, None, f"not valid JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(record, dict):
        return number, None, "each line must be a JSON object"
    item_id = record.get("id", number)
    if item_id is None:
        item_id = number
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return item_id, None, "missing or empty `text`"
    if len(text) > MAX_TEXT_CHARS:
        return item_id, None, f"`text` is longer than {MAX_TEXT_CHARS} characters"
    context = record.get("context") or ""
    if not isinstance(context, str):
        return item_id, None, "`context` must be a string"
    return item_id, PassageInput(text, context), None


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        chunk.append((number, raw))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def classify_stream(lines: Iterable[str], out: IO[str], classifier: Classifier,
                    chunk_lines: int = CHUNK_LINES) -> ClassifyStats:
    """Classify every readable line, writing one JSON object per non-blank input line."""
    stats = ClassifyStats()
    for chunk in _chunks(lines, chunk_lines):
        parsed = [(number, *_read_line(number, raw)) for number, raw in chunk]
        readable = [p for p in parsed if p[2] is not None]
        predictions = iter(classifier.predict([p[2] for p in readable])) if readable else iter(())
        for number, item_id, item, error in parsed:
            stats.lines += 1
            if error is not None:
                stats.errors += 1
                record = {"id": item_id, "line": number, "error": error}
            else:
                stats.classified += 1
                record = next(predictions).to_record(item_id)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return stats
