"""Human annotations: saved at once, never lost, written under the warehouse's write lock.

Every answer is first appended (and fsynced) to the session's journal file beside the working
database, then inserted into the working database under the same write lock the nightly run
takes. When a run holds the lock, answers wait in the journal and go in with the next save or
at the end of the session; a journal left by a session that died is taken in by the next one.
Inserting is idempotent (an answer is keyed by session, annotator, passage, text and time), so
a crash between the insert and clearing the journal duplicates nothing. The session ends by
publishing a snapshot, as the nightly does, so the annotations travel with the warehouse.
Annotations are keyed by passage id and content hash and no reload deletes them. A gold answer
marks its passage's quarter for the trend refresh in the same transaction.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from classifiers.codebook import FRAMES
from warehouse.db import open_db
from warehouse.publish import WarehouseBusyError, WriteLock, prepare_work_db, publish, work_path
from warehouse.trends.dirty import mark_passage_text

STREAMS = ("gold", "active", "overlap")


@dataclass
class Annotation:
    """One annotator's answer on one passage text."""

    passage_id: str
    content_hash: str
    annotator: str
    relevant: bool
    frames: list[str]
    explicit_trait_vocabulary: bool
    codebook_version: str
    stream: str
    sample_design: str
    p_inclusion: float | None
    model_version: str | None
    session_id: str
    annotated_at: str  # ISO, UTC
    text: str = ""
    context: str = ""

    def __post_init__(self) -> None:
        if self.stream not in STREAMS:
            raise ValueError(f"stream {self.stream!r} not in {STREAMS}")
        unknown = set(self.frames) - set(FRAMES)
        if unknown:
            raise ValueError(f"frames not in the codebook: {sorted(unknown)}")
        if not self.relevant:
            self.frames, self.explicit_trait_vocabulary = [], False
        self.frames = [f for f in FRAMES if f in self.frames]


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


def insert(con: duckdb.DuckDBPyConnection, annotations: list[Annotation]) -> int:
    """Insert answers not stored yet (and the texts they were made on); return how many were new."""
    new = 0
    con.execute("BEGIN TRANSACTION")
    try:
        for a in annotations:
            exists = con.execute(
                "SELECT count(*) FROM annotations WHERE session_id = ? AND annotator = ? AND passage_id = ?"
                " AND content_hash = ? AND annotated_at = ?::TIMESTAMP",
                [a.session_id, a.annotator, a.passage_id, a.content_hash, a.annotated_at]).fetchone()[0]
            if exists:
                continue
            con.execute(
                "INSERT INTO annotations (annotation_id, passage_id, content_hash, annotator, relevant, frames,"
                " explicit_trait_vocabulary, codebook_version, stream, sample_design, p_inclusion,"
                " model_version, session_id, annotated_at)"
                " VALUES (nextval('annotation_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::TIMESTAMP)",
                [a.passage_id, a.content_hash, a.annotator, a.relevant, a.frames, a.explicit_trait_vocabulary,
                 a.codebook_version, a.stream, a.sample_design, a.p_inclusion, a.model_version,
                 a.session_id, a.annotated_at])
            if a.stream == "gold":  # the trend refresh's PPI reads gold answers: recompute the quarter
                mark_passage_text(con, a.passage_id, a.content_hash)
            if a.text:
                con.execute("INSERT OR IGNORE INTO annotated_texts VALUES (?, ?, ?)",
                            [a.content_hash, a.text, a.context])
            new += 1
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return new


class Journal:
    """A session's append-only file of answers not yet in the warehouse, locked while it lives."""

    def __init__(self, folder: Path, session_id: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{session_id}.jsonl"
        starting = folder / f".{session_id}.starting"  # locked before it takes a name others scan
        self._handle = open(starting, "a+", encoding="utf-8")
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(starting, self.path)

    def append(self, annotation: Annotation) -> None:
        self._handle.write(json.dumps(asdict(annotation), ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def read(self) -> list[Annotation]:
        self._handle.seek(0)
        return [Annotation(**json.loads(line)) for line in self._handle if line.strip()]

    def clear(self) -> None:
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self, remove: bool) -> None:
        if remove:
            self.path.unlink(missing_ok=True)
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        self._handle.close()


def orphaned_journals(folder: Path) -> list[Path]:
    """Journal files no live session holds (their session ended without flushing)."""
    found = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        with open(path, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        found.append(path)
    return found


@dataclass
class SaveResult:
    stored: bool  # in the working database now (else waiting in the journal)
    pending: int  # answers of this session still only in the journal


@dataclass
class AnnotationWriter:
    """Saves a session's answers at once and publishes them when the session ends."""

    db_path: Path
    session_id: str
    lock_wait_s: float = 5.0
    saved: int = 0
    dirty: bool = False
    published: bool = False
    _journal: Journal = field(init=False)

    def __post_init__(self) -> None:
        self.db_path = Path(self.db_path)
        self.journal_dir = work_path(self.db_path).parent / "annotations-pending"
        self._journal = Journal(self.journal_dir, self.session_id)

    def save(self, annotation: Annotation) -> SaveResult:
        """Journal the answer, then try to store everything pending under the write lock."""
        self._journal.append(annotation)
        self.saved += 1
        return self.flush(self.lock_wait_s)

    def flush(self, wait_s: float) -> SaveResult:
        pending = self._journal.read()
        try:
            with WriteLock(self.db_path, wait_s=wait_s):
                con = open_db(prepare_work_db(self.db_path))
                orphans = _orphans(self.journal_dir)
                try:
                    insert(con, pending + [a for _, batch in orphans for a in batch])
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                for path, _ in orphans:
                    path.unlink(missing_ok=True)
                self._journal.clear()
        except WarehouseBusyError:
            return SaveResult(False, len(pending))
        self.dirty = True
        return SaveResult(True, 0)

    def close(self, wait_s: float = 600.0, publish_snapshot: bool = True) -> SaveResult:
        """Store what is pending (waiting for a running nightly if need be) and publish."""
        result = self.flush(wait_s) if self._journal.read() else SaveResult(True, 0)
        self.published = False
        if result.stored and self.dirty and publish_snapshot:
            try:
                with WriteLock(self.db_path, wait_s=wait_s):
                    publish(work_path(self.db_path), self.db_path)
                self.published = True
            except WarehouseBusyError:  # stored in the working copy: the next run publishes it
                pass
        self._journal.close(remove=result.stored)
        return result


def _orphans(folder: Path) -> list[tuple[Path, list[Annotation]]]:
    """The answers in each journal of a dead session (the caller removes a file once stored)."""
    found = []
    for path in orphaned_journals(folder):
        with open(path, encoding="utf-8") as handle:
            found.append((path, [Annotation(**json.loads(line)) for line in handle if line.strip()]))
    return found
