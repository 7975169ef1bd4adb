"""One polite HTTP client for every extractor, over a live or a replayed transport.

Live: per-host rate limit, timeouts, retries with back-off that honour `Retry-After`,
conditional requests from the archive's ETag / Last-Modified, robots.txt, a size cap enforced
while streaming, and a User-Agent naming the project. Every response lands in the raw archive
before anything parses it. Replay: the same client over `ReplayTransport`, which answers from
the archive, so the same extractor code runs in production, in tests and in the offline demo.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from extractors.archive import ArchiveEntry, RawArchive
from extractors.errors import ExtractorError, GoneError, ParseError, SkipItem, TransientFetchError

RETRY_STATUSES = {429, 500, 502, 503, 504}
TRANSIENT_EXCEPTIONS = (httpx.TransportError,)  # connect/read errors, timeouts, truncated bodies
MAX_RETRY_AFTER_S = 300.0


class FetchError(ExtractorError):
    """A permanent fetch failure (a 4xx other than 404/410, a redirect loop): quarantine."""


def canonical_url(url: str) -> str:
    """The URL with its query parameters in a stable order, as the archive indexes it."""
    parts = urlsplit(str(url))
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)), doseq=True)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


@dataclass(frozen=True)
class FetchResult:
    """Raw bytes from a fetch, with the archive entry that holds them."""

    url: str
    status: int
    data: bytes
    entry: ArchiveEntry
    not_modified: bool = False


class ReplayTransport(httpx.BaseTransport):
    """An httpx transport that answers every request from the raw archive."""

    def __init__(self, archive: RawArchive) -> None:
        self.archive = archive

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        entry = self.archive.latest(canonical_url(str(request.url)))
        if entry is None:
            return httpx.Response(404, headers={"x-whitehall-replay": "miss"}, request=request)
        if entry.etag and request.headers.get("if-none-match") == entry.etag:
            return httpx.Response(304, headers={"x-whitehall-replay": "hit"}, request=request)
        headers = {"x-whitehall-replay": "hit"}
        for name, value in (("content-type", entry.content_type), ("etag", entry.etag),
                            ("last-modified", entry.last_modified)):
            if value:
                headers[name] = value
        return httpx.Response(entry.status, headers=headers,
                              content=self.archive.read(entry.sha256), request=request)


class HostRateLimiter:
    """At most `per_second` requests per host, shared across threads."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:  # picklable, so that an extractor can go to a Dask worker
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            now = self.clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        if slot > now:
            self.sleep(slot - now)


def retry_after_seconds(value: str | None) -> float | None:
    """Parse a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_S)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER_S))


class HttpClient:
    """GET with politeness and an archive record of every response."""

    def __init__(
        self,
        archive: RawArchive,
        transport: httpx.BaseTransport | None = None,
        *,
        user_agent: str = "WhitehallDiscourse/0.1",
        requests_per_second: float = 2.0,
        timeout_s: float = 30.0,
        retries: int = 4,
        backoff_s: float = 1.0,
        max_bytes: int = 50 * 1024 * 1024,
        record: bool = True,
        respect_robots: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.archive = archive
        self.record = record
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_bytes = max_bytes
        self.respect_robots = respect_robots
        self.sleep = sleep
        self.limiter = HostRateLimiter(requests_per_second, sleep=sleep)
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()
        self.user_agent = user_agent
        self._client = httpx.Client(
            transport=transport,
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=True,
            max_redirects=10,
        )

    @classmethod
    def replay(cls, archive: RawArchive, **kwargs) -> "HttpClient":
        """A client that answers from the archive alone and records nothing."""
        kwargs.setdefault("requests_per_second", 0)
        return cls(archive, ReplayTransport(archive), record=False, **kwargs)

    def close(self) -> None:
        self._client.close()

    # -- public -----------------------------------------------------------------------------

    def get(self, url: str, *, source: str | None = None, conditional: bool = True,
            headers: dict[str, str] | None = None) -> FetchResult:
        """Fetch a URL politely; raise GoneError, TransientFetchError or FetchError on failure.

        `headers` are extra request headers (e.g. `Accept: application/json` for APIs that
        negotiate their representation); the archive indexes the response by URL alone.
        """
        url = canonical_url(url)
        host = urlsplit(url).netloc
        if self.respect_robots and not self._allowed(url):
            raise SkipItem("out_of_scope", f"robots.txt disallows {url}")
        previous = self.archive.latest(url) if conditional else None
        headers = dict(headers or {})
        if previous is not None and previous.status == 200:
            if previous.etag:
                headers["If-None-Match"] = previous.etag
            if previous.last_modified:
                headers["If-Modified-Since"] = previous.last_modified

        last_error = ""
        for attempt in range(self.retries + 1):
            self.limiter.wait(host)
            try:
                status, data, response_headers = self._stream(url, headers)
            except httpx.TooManyRedirects as exc:
                raise FetchError(f"redirect loop at {url}: {exc}") from exc
            except TRANSIENT_EXCEPTIONS as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                self._back_off(attempt, None)
                continue
            if status == 304 and previous is not None:
                return FetchResult(url, 200, self.archive.read(previous.sha256), previous, True)
            if status in RETRY_STATUSES:
                last_error = f"HTTP {status}"
                if attempt < self.retries:
                    self._back_off(attempt, retry_after_seconds(response_headers.get("retry-after")))
                continue
            entry = self._record(url, status, data, response_headers, source)
            if status in (404, 410):
                raise GoneError(f"HTTP {status} for {url}")
            if status >= 400:
                raise FetchError(f"HTTP {status} for {url}")
            return FetchResult(url, status, data, entry)
        raise TransientFetchError(f"{url}: gave up after {self.retries + 1} attempts ({last_error})")

    # -- internals ---------------------------------------------------------------------------

    def _stream(self, url: str, headers: dict[str, str]) -> tuple[int, bytes, httpx.Headers]:
        with self._client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise ParseError(f"{url}: response of {declared} bytes exceeds the cap of {self.max_bytes}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise ParseError(f"{url}: response exceeds the cap of {self.max_bytes} bytes")
                chunks.append(chunk)
            return response.status_code, b"".join(chunks), response.headers

    def _record(self, url: str, status: int, data: bytes, headers: httpx.Headers,
                source: str | None) -> ArchiveEntry:
        if not self.record:
            existing = self.archive.latest(url)
            if existing is not None:
                return existing
        return self.archive.record(
            url, data, status=status, content_type=headers.get("content-type"),
            etag=headers.get("etag"), last_modified=headers.get("last-modified"), source=source,
        )

    def _back_off(self, attempt: int, retry_after: float | None) -> None:
        if retry_after is not None:
            delay = retry_after
        else:
            delay = self.backoff_s * (2 ** attempt) * (0.5 + random.random() / 2)
        self.sleep(min(delay, MAX_RETRY_AFTER_S))

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = parts.netloc
        with self._robots_lock:
            if host not in self._robots:
                self._robots[host] = self._load_robots(f"{parts.scheme}://{host}/robots.txt")
            parser = self._robots[host]
        return parser is None or parser.can_fetch(self.user_agent, url)

    def _load_robots(self, robots_url: str) -> RobotFileParser | None:
        try:
            response = self._client.get(robots_url)
        except httpx.HTTPError:
            return None  # unreachable robots.txt: the fetch itself will fail or succeed on its own
        if response.status_code != 200:
            return None
        parser = RobotFileParser()
        parser.parse(response.text.splitlines())
        return parser
