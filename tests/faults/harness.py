"""The fault-injection harness: the sample archive as a live origin, behind a transport that breaks.

The *origin* is the session's synthetic sample archive, served by the replay transport as if it
were the live web. `FaultTransport` sits in front of it and, while active, answers chosen URLs
with an injected fault. The pipeline's client fetches through it with recording on, into a
fresh archive of its own, exactly as in live mode; back-off sleeps are recorded, not slept.
"""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

import duckdb
import httpx

from extractors.archive import RawArchive
from extractors.http import HttpClient, ReplayTransport
from extractors.limits import configure
from extractors.registry import build_extractors
from flows.runtime import Runtime
from warehouse.checksum import CONTENT, content_checksum
from warehouse.db import open_db
from warehouse.publish import prepare_work_db, work_path
from whitehall.notify import Notifiers
from whitehall.settings import Settings

START = date(2026, 1, 1)  # the slice: everything the sample archive lists after this date


@dataclass
class Fault:
    """Answer requests for `match` (a full URL, or part of one) with a fault of `kind`
    (`times` times, or always)."""

    match: str
    kind: str
    arg: object = None
    times: int | None = None
    hits: int = 0


def _matches(match: str, url: str) -> bool:
    """A full URL matches exactly; anything else is a substring of the URL."""
    return match == url if match.startswith("http") else match in url


class _Stream(httpx.SyncByteStream):
    def __init__(self, chunks: Iterator[bytes], fail: Exception | None = None) -> None:
        self.chunks, self.fail = chunks, fail

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.fail is not None:
            raise self.fail


class FaultTransport(httpx.BaseTransport):
    """The origin, with faults injected while `active`."""

    def __init__(self, origin: RawArchive, faults: list[Fault] | None = None) -> None:
        self.origin = ReplayTransport(origin)
        self.faults = list(faults or [])
        self.active = True
        self.requests: list[str] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        with self._lock:
            self.requests.append(url)
            fault = next((f for f in self.faults if self.active and _matches(f.match, url)
                          and (f.times is None or f.hits < f.times)), None)
            if fault is not None:
                fault.hits += 1
        if fault is None:
            return self.origin.handle_request(request)
        return self._apply(fault, request)

    def _original(self, request: httpx.Request) -> tuple[bytes, dict]:
        response = self.origin.handle_request(request)
        return response.read(), {"content-type": response.headers.get("content-type", "")}

    def _apply(self, fault: Fault, request: httpx.Request) -> httpx.Response:
        kind, arg = fault.kind, fault.arg
        if kind == "status":
            status, headers = arg if isinstance(arg, tuple) else (arg, {})
            return httpx.Response(status, headers=headers, content=b"busy", request=request)
        if kind == "reset":
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        if kind == "timeout":
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        if kind == "redirect_loop":
            return httpx.Response(302, headers={"location": str(request.url)}, request=request)
        data, headers = self._original(request)
        if kind == "cut_connection":  # the peer closes mid-body: httpx reports the short read
            half = data[: len(data) // 2]
            error = httpx.RemoteProtocolError(
                f"peer closed connection without sending complete message body "
                f"(received {len(half)} bytes, expected {len(data)})", request=request)
            return httpx.Response(200, headers=headers, stream=_Stream(iter([half]), error), request=request)
        if kind == "truncate":  # a short body with nothing to say it is short
            return httpx.Response(200, headers=headers, content=data[: len(data) // 2], request=request)
        if kind == "content_type":
            return httpx.Response(200, headers={"content-type": arg}, content=data, request=request)
        if kind == "body":
            body = arg(data) if callable(arg) else arg
            return httpx.Response(200, headers=headers, content=body, request=request)
        if kind == "stream":  # an endless (or huge) body, chunked, no Content-Length
            total = int(arg)
            chunks = (b"<p>" + b"x" * 65_530 + b"</p>" for _ in range(total // 65_537 + 1))
            return httpx.Response(200, headers=headers, stream=_Stream(chunks), request=request)
        if kind == "declared_huge":
            return httpx.Response(200, headers={**headers, "content-length": str(arg)},
                                  stream=_Stream(iter([data])), request=request)
        if kind == "gzip_bomb":
            bomb = gzip.compress(b"\0" * int(arg), compresslevel=9)
            return httpx.Response(200, headers={**headers, "content-encoding": "gzip"}, content=bomb,
                                  request=request)
        raise ValueError(f"unknown fault kind {kind}")


@dataclass
class Scenario:
    """A data folder, its settings, and the broken origin every runtime it builds fetches from."""

    settings: Settings
    transport: FaultTransport
    sleeps: list[float] = field(default_factory=list)
    notifiers: Notifiers = field(default_factory=lambda: Notifiers([]))

    def runtime(self) -> Runtime:
        configure(self.settings.limits())
        archive = RawArchive(self.settings.archive_path)
        client = HttpClient(archive, self.transport, requests_per_second=0, retries=self.settings.http_retries,
                            max_bytes=self.settings.max_response_bytes, sleep=self.sleeps.append)
        return Runtime(self.settings, archive, client, build_extractors(self.settings.sources), self.notifiers)

    def install(self, monkeypatch) -> "Scenario":
        """Make the real `nightly` flow (and the retry flow) build their runtime here."""
        from flows import runtime as runtime_module
        from flows import tasks

        monkeypatch.setattr(runtime_module.Runtime, "build", classmethod(lambda cls, settings: self.runtime()))
        monkeypatch.setattr(tasks, "discover", tasks.discover.with_options(retry_delay_seconds=0))
        return self

    @property
    def db(self) -> Path:
        return self.settings.db_path

    def read(self) -> duckdb.DuckDBPyConnection:
        """The working database (the freshest state), read-only."""
        return duckdb.connect(str(work_path(self.db)), read_only=True)

    def checksum(self, published: bool = False) -> dict:
        """The content checksum (documents, passages, labels, watermarks, annotations)."""
        with duckdb.connect(str(self.db if published else work_path(self.db)), read_only=True) as con:
            return content_checksum(con)

    def current_checksum(self, published: bool = False) -> dict:
        """The checksum of what the warehouse holds now: the label history of texts since replaced,
        and which of several byte-identical-in-content fetches a document was parsed from, left out."""
        with duckdb.connect(str(self.db if published else work_path(self.db)), read_only=True) as con:
            return current_checksum(con)


def current_checksum(con: duckdb.DuckDBPyConnection) -> dict:
    con.execute("CREATE OR REPLACE TEMP VIEW current_labels AS SELECT l.* FROM labels l"
                " JOIN passages p USING (passage_id, content_hash)")
    tables = dict(CONTENT)
    tables["documents"] = tuple(c for c in CONTENT["documents"] if c != "raw_sha256")
    tables["current_labels"] = tables.pop("labels")
    return content_checksum(con, tables)


def scenario(tmp: Path, origin: RawArchive, sources: list[str], *, start: date = START,
             faults: list[Fault] | None = None, **settings) -> Scenario:
    """A fresh data folder whose sources' watermarks start at `start` (a slice of the archive)."""
    settings.setdefault("baseline", "model_dir" not in settings)  # the keyword baseline: fast
    config = Settings(data_dir=tmp / "data", transport="replay", sources=sources, **settings)
    work = prepare_work_db(config.db_path)
    con = open_db(work)
    for name, extractor in build_extractors(sources).items():
        con.execute("INSERT INTO watermarks (source, cursor, run_id, updated_at) VALUES (?, ?, 0, now())",
                    [name, extractor.cursor_from_date(start)])
    con.close()
    return Scenario(config, FaultTransport(origin, faults))


def origin_urls(origin: RawArchive, pattern: str, start: date = START) -> list[str]:
    """URLs in the origin matching a LIKE pattern, fetched on or after `start`, sorted."""
    return sorted({e.url for e in origin.entries() if e.fetched_at >= start.isoformat() and _like(e.url, pattern)})


def _like(url: str, pattern: str) -> bool:
    import fnmatch

    return fnmatch.fnmatch(url, pattern)


def items_by_state(con: duckdb.DuckDBPyConnection, run_id: int) -> dict[str, tuple[str, str | None, str | None]]:
    """item id -> (state, reason, error) in one run."""
    return {r[0]: (r[1], r[2], r[3]) for r in con.execute(
        "SELECT item_id, state, reason, error FROM run_items WHERE run_id = ?", [run_id]).fetchall()}


def assert_reconciles(con: duckdb.DuckDBPyConnection, run_id: int) -> dict:
    """The stored run: discovered = the sum of the five states, in total and per source."""
    run = con.execute("SELECT discovered, loaded, unchanged, skipped, quarantined, failed_transient, status"
                      " FROM runs WHERE run_id = ?", [run_id]).fetchone()
    assert run[0] == sum(run[1:6]), f"run {run_id} does not reconcile: {run}"
    per_source = con.execute(
        "SELECT rs.source, rs.discovered, count(ri.item_id) FROM run_sources rs LEFT JOIN run_items ri"
        " ON ri.run_id = rs.run_id AND ri.source = rs.source WHERE rs.run_id = ? GROUP BY ALL", [run_id]).fetchall()
    for source, discovered, settled in per_source:
        assert discovered == settled, f"run {run_id}, {source}: discovered {discovered}, settled {settled}"
    return {"discovered": run[0], "loaded": run[1], "unchanged": run[2], "skipped": run[3],
            "quarantined": run[4], "failed_transient": run[5], "status": run[6]}


def duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Rows that repeat a document, or a passage within a document (by locator or by id)."""
    docs = con.execute("SELECT count(*) - count(DISTINCT document_id) FROM documents").fetchone()[0]
    by_locator = con.execute(
        "SELECT count(*) - count(DISTINCT (document_id, locator)) FROM passages").fetchone()[0]
    by_id = con.execute("SELECT count(*) - count(DISTINCT passage_id) FROM passages").fetchone()[0]
    return docs + by_locator + by_id


def lost(con: duckdb.DuckDBPyConnection, clean: duckdb.DuckDBPyConnection) -> int:
    """Documents and passages of the clean build that this warehouse lacks."""
    want_docs = {r[0] for r in clean.execute("SELECT document_id || content_hash FROM documents").fetchall()}
    have_docs = {r[0] for r in con.execute("SELECT document_id || content_hash FROM documents").fetchall()}
    want = {r[0] for r in clean.execute("SELECT passage_id || content_hash FROM passages").fetchall()}
    have = {r[0] for r in con.execute("SELECT passage_id || content_hash FROM passages").fetchall()}
    return len(want_docs - have_docs) + len(want - have)


Callback = Callable[[bytes], bytes]
