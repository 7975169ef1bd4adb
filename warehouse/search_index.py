"""Ranked full-text search over passages: a tantivy (BM25) index kept beside the warehouse.

DuckDB's `fts` extension cannot be installed offline, so the index is tantivy's, through its
Python package. It lives in its own folder (`data/search/` by default) and is kept up to date
incrementally: each passage's indexed fields (text, speaker, date, link, the current model's
positive labels) hash to a signature; upkeep compares the warehouse's signatures with those it
indexed last time (`state.parquet` in the folder) and deletes and adds only what differs.
A night with nothing new opens no index writer and changes no file.

Frame, date and speaker filters are parts of the tantivy query (scored 0), so ranking is BM25
on the text alone and a filter never empties a page of hits after the fact.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import tantivy

SCHEMA_VERSION = 1
STATE_FILE = "state.parquet"
META_FILE = "whitehall-index.json"
PENDING_FILE = "upkeep-pending"  # present while an upkeep runs: one that died is redone next run
WRITER_HEAP = 64 * 1024 * 1024
ADD_CHUNK = 5000

_ROWS = """
WITH positive AS (
    SELECT passage_id, list(label ORDER BY label) AS labels
    FROM v_passage_evidence
    GROUP BY passage_id
),
final AS (
    SELECT p.passage_id, p.text, p.speaker, p.source_type, p.date, p.url, p.role, p.party,
           coalesce(l.labels, []::VARCHAR[]) AS labels,
           md5(concat_ws(chr(31), p.content_hash, coalesce(p.speaker, ''), p.date::VARCHAR,
                         coalesce(p.url, ''), p.source_type, p.role, coalesce(p.party, ''),
                         array_to_string(coalesce(l.labels, []::VARCHAR[]), ','))) AS signature
    FROM passages AS p
    LEFT JOIN positive AS l USING (passage_id)
)
SELECT {columns} FROM final
"""
_FULL = "passage_id, text, speaker, source_type, date, url, role, party, labels"
_QUERY_SYNTAX = re.compile(r'["():+\-*^~\[\]{}]|\b(AND|OR|NOT)\b')


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("passage_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("text", stored=True, tokenizer_name="en_stem", index_option="position")
    builder.add_text_field("speaker", stored=True, tokenizer_name="default")
    builder.add_text_field("labels", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source_type", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_date_field("date", stored=True, indexed=True, fast=True)
    builder.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("role", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("party", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


@dataclass
class UpkeepStats:
    """What one upkeep did to the index."""

    indexed: int
    added: int
    deleted: int
    rebuilt: bool
    seconds: float
    changed: bool = field(init=False)

    def __post_init__(self) -> None:
        self.changed = bool(self.added or self.deleted or self.rebuilt)


def _read_meta(index_dir: Path) -> dict | None:
    try:
        meta = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if meta.get("schema_version") != SCHEMA_VERSION or not (index_dir / STATE_FILE).is_file():
        return None
    return meta


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


def upkeep_needed(index_dir: Path) -> bool:
    """Whether the index must be brought up to date even on a run that changed nothing."""
    index_dir = Path(index_dir)
    return _read_meta(index_dir) is None or (index_dir / PENDING_FILE).exists()


def upkeep(con: duckdb.DuckDBPyConnection, index_dir: Path) -> UpkeepStats:
    """Bring the index in line with the warehouse's current passages and labels."""
    started = time.monotonic()
    index_dir = Path(index_dir)
    if index_dir.is_dir():
        (index_dir / PENDING_FILE).touch()
    current = con.sql(_ROWS.format(columns="passage_id, signature")).to_arrow_table()
    meta = _read_meta(index_dir) if index_dir.is_dir() else None
    rebuilt = meta is None
    if rebuilt:
        shutil.rmtree(index_dir, ignore_errors=True)
        index_dir.mkdir(parents=True)
        previous = pa.table({"passage_id": pa.array([], pa.string()), "signature": pa.array([], pa.string())})
    else:
        previous = pq.read_table(index_dir / STATE_FILE)
    diff = duckdb.connect()
    diff.register("cur", current)
    diff.register("prev", previous)
    stale = [r[0] for r in diff.execute(
        "SELECT passage_id FROM prev ANTI JOIN cur USING (passage_id, signature)").fetchall()]
    fresh = [r[0] for r in diff.execute(
        "SELECT passage_id FROM cur ANTI JOIN prev USING (passage_id, signature)").fetchall()]
    diff.close()
    if not stale and not fresh and not rebuilt:
        (index_dir / PENDING_FILE).unlink(missing_ok=True)
        return UpkeepStats(len(current), 0, 0, False, round(time.monotonic() - started, 3))

    index = tantivy.Index(_schema(), path=str(index_dir))
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    for pid in stale:
        writer.delete_documents_by_term("passage_id", pid)
    if fresh:
        con.execute("CREATE OR REPLACE TEMP TABLE _search_fresh AS SELECT unnest(?) AS passage_id", [fresh])
        result = con.execute(_ROWS.format(columns=_FULL)
                             + " WHERE passage_id IN (SELECT passage_id FROM _search_fresh)")
        while rows := result.fetchmany(ADD_CHUNK):
            for pid, text, speaker, source_type, day, url, role, party, labels in rows:
                writer.add_document(tantivy.Document(
                    passage_id=pid, text=text, speaker=speaker or "", source_type=source_type,
                    date=datetime(day.year, day.month, day.day, tzinfo=timezone.utc), url=url or "",
                    role=role, party=party or "", labels=list(labels),
                ))
        con.execute("DROP TABLE _search_fresh")
    writer.commit()
    writer.wait_merging_threads()
    _write_atomic(index_dir / STATE_FILE, lambda tmp: pq.write_table(current, tmp))
    _write_atomic(index_dir / META_FILE, lambda tmp: tmp.write_text(
        json.dumps({"schema_version": SCHEMA_VERSION, "documents": len(current)}) + "\n", encoding="utf-8"))
    (index_dir / PENDING_FILE).unlink(missing_ok=True)
    return UpkeepStats(len(current), len(fresh), len(stale), rebuilt, round(time.monotonic() - started, 3))


@dataclass
class Hit:
    """One ranked passage, with where the query matched (character offsets into `text`)."""

    passage_id: str
    score: float
    text: str
    speaker: str
    date: date
    url: str
    source_type: str
    role: str
    party: str
    labels: list[str]
    matches: list[tuple[int, int]]


class SearchIndexMissing(FileNotFoundError):
    """No search index where one was expected."""


def open_index(index_dir: Path) -> tantivy.Index:
    index_dir = Path(index_dir)
    if _read_meta(index_dir) is None:
        raise SearchIndexMissing(f"no search index at {index_dir}: the nightly run builds it "
                                 "(`whitehall run nightly`)")
    return tantivy.Index.open(str(index_dir))


def text_query(index: tantivy.Index, phrase: str) -> tantivy.Query:
    """Plain words are searched as one phrase; text with query syntax goes to tantivy's parser."""
    phrase = phrase.strip()
    if not phrase:
        raise ValueError("an empty search")
    if not _QUERY_SYNTAX.search(phrase) and len(phrase.split()) > 1:
        phrase = f'"{phrase}"'
    try:
        return index.parse_query(phrase, ["text"], conjunction_by_default=True)
    except ValueError as exc:
        raise ValueError(f"cannot read the search {phrase!r}: {exc}") from None


def _filters(schema: tantivy.Schema, frame: str | None, since: date | None, until: date | None,
             speaker: str | None, source_type: str | None) -> list[tantivy.Query]:
    found: list[tantivy.Query] = []
    if frame:
        found.append(tantivy.Query.term_query(schema, "labels", frame))
    if since or until:
        bound = lambda d: datetime(d.year, d.month, d.day, tzinfo=timezone.utc) if d else None  # noqa: E731
        found.append(tantivy.Query.range_query(schema, "date", tantivy.FieldType.Date, bound(since), bound(until)))
    for token in re.findall(r"\w+", (speaker or "").lower()):
        found.append(tantivy.Query.term_query(schema, "speaker", token))
    if source_type:
        found.append(tantivy.Query.term_query(schema, "source_type", source_type))
    return [tantivy.Query.const_score_query(q, 0.0) for q in found]


def search(index: tantivy.Index, phrase: str, *, frame: str | None = None, since: date | None = None,
           until: date | None = None, speaker: str | None = None, source_type: str | None = None,
           limit: int = 20) -> tuple[int, list[Hit]]:
    """(number of matching passages, the best `limit` of them by BM25)."""
    schema = index.schema
    query = text_query(index, phrase)
    filters = _filters(schema, frame, since, until, speaker, source_type)
    if filters:
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query)]
                                            + [(tantivy.Occur.Must, f) for f in filters])
    searcher = index.searcher()
    result = searcher.search(query, limit)
    snippets = tantivy.SnippetGenerator.create(searcher, text_query(index, phrase), schema, "text")
    snippets.set_max_num_chars(100_000)
    hits = []
    for score, address in result.hits:
        doc = searcher.doc(address)
        values = doc.to_dict()
        one = lambda name: (values.get(name) or [""])[0]  # noqa: E731
        snippet = snippets.snippet_from_doc(doc)
        offset = snippet.fragment_range().start
        matches = [(offset + r.start, offset + r.end) for r in snippet.highlighted()]
        hits.append(Hit(one("passage_id"), float(score), one("text"), one("speaker"), one("date").date(),
                        one("url"), one("source_type"), one("role"), one("party"),
                        list(values.get("labels", [])), matches))
    return int(result.count or 0), hits
