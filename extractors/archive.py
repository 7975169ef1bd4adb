"""A content-addressed store of raw bytes, with an index of every response that produced them.

Layout under the archive folder:

    objects/ab/cdef...    the bytes, named by their sha256 (written once, never changed)
    index.sqlite          one row per recorded response: url, sha256, fetched_at, status,
                          ETag, Last-Modified, content type, source

The same archive is written by live fetching and read back by the replay transport, so the
parsing code never knows which it is running on.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    fetched_at    TEXT NOT NULL,
    status        INTEGER NOT NULL,
    content_type  TEXT,
    etag          TEXT,
    last_modified TEXT,
    source        TEXT,
    UNIQUE (url, sha256, status)
);
CREATE INDEX IF NOT EXISTS responses_url ON responses (url, fetched_at);
CREATE INDEX IF NOT EXISTS responses_source ON responses (source, fetched_at);
"""


@dataclass(frozen=True)
class ArchiveEntry:
    """One recorded response."""

    url: str
    sha256: str
    size: int
    fetched_at: str
    status: int
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    source: str | None = None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class RawArchive:
    """Raw bytes by hash, and the index of responses that produced them."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        (self.root / "objects").mkdir(parents=True, exist_ok=True)
        # One connection shared by the fetching threads: every use holds the lock (sqlite3 connections
        # are not safe for concurrent transactions; two recording threads would otherwise collide).
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.root / "index.sqlite", timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    # -- bytes -------------------------------------------------------------------------------

    def object_path(self, sha: str) -> Path:
        return self.root / "objects" / sha[:2] / sha[2:]

    def store(self, data: bytes) -> str:
        """Write the bytes once (atomically) and return their sha256."""
        sha = sha256_hex(data)
        path = self.object_path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return sha

    def read(self, sha: str) -> bytes:
        data = self.object_path(sha).read_bytes()
        if sha256_hex(data) != sha:
            raise IOError(f"archive object {sha} is corrupt (hash mismatch)")
        return data

    def has(self, sha: str) -> bool:
        return self.object_path(sha).exists()

    # -- index -------------------------------------------------------------------------------

    def record(
        self,
        url: str,
        data: bytes,
        *,
        status: int = 200,
        fetched_at: str | None = None,
        content_type: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        source: str | None = None,
    ) -> ArchiveEntry:
        """Store the bytes and index the response. Recording the same response twice is a no-op."""
        sha = self.store(data)
        entry = ArchiveEntry(url, sha, len(data), fetched_at or utc_now(), status, content_type,
                             etag, last_modified, source)
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR IGNORE INTO responses (url, sha256, size, fetched_at, status, content_type,"
                " etag, last_modified, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.url, entry.sha256, entry.size, entry.fetched_at, entry.status,
                 entry.content_type, entry.etag, entry.last_modified, entry.source),
            )
        return entry

    def latest(self, url: str) -> ArchiveEntry | None:
        """The most recent response recorded for the URL, if any."""
        with self._lock:
            row = self._db.execute(
                "SELECT url, sha256, size, fetched_at, status, content_type, etag, last_modified, source"
                " FROM responses WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                (url,),
            ).fetchone()
        return ArchiveEntry(*row) if row else None

    def entries(self, source: str | None = None) -> Iterator[ArchiveEntry]:
        query = ("SELECT url, sha256, size, fetched_at, status, content_type, etag, last_modified,"
                 " source FROM responses")
        args: tuple = ()
        if source:
            query += " WHERE source = ?"
            args = (source,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY fetched_at, id", args).fetchall()
        for row in rows:
            yield ArchiveEntry(*row)

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        self._db.close()
