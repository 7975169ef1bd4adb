"""The extractor contract every source implements: discover, fetch, parse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from extractors.http import HttpClient
from extractors.passage import Document


@dataclass(frozen=True)
class ItemRef:
    """A discovered item: what to fetch, and the version that orders it for the watermark.

    `cursor` is the value the watermark moves to once this item is committed; cursors of one
    source sort as strings (ISO timestamps, zero-padded numbers).
    """

    source: str
    item_id: str
    url: str
    cursor: str
    version: str = ""
    skip_reason: str | None = None  # set at discovery when the listing alone decides (superseded)
    meta: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class RawItem:
    """The raw bytes of one item, as stored in the archive."""

    ref: ItemRef
    data: bytes
    sha256: str
    not_modified: bool = False


class Extractor(Protocol):
    """One source. `discover` and `fetch` do I/O through the client; `parse` is pure."""

    source: str

    def cursor_from_date(self, day: date) -> str:
        """The watermark cursor that means 'everything from this date on'."""
        ...

    def discover(self, client: HttpClient, since: str | None) -> list[ItemRef]:
        """What is new or changed after the watermark `since`, oldest first."""
        ...

    def fetch(self, client: HttpClient, ref: ItemRef) -> RawItem:
        """Fetch the item's raw bytes (they land in the archive)."""
        ...

    def parse(self, raw: RawItem) -> Document:
        """Turn raw bytes into a document of passages; raise ParseError or SkipItem."""
        ...


def fetch_url(client: HttpClient, ref: ItemRef) -> RawItem:
    """The common `fetch`: GET the item's URL."""
    result = client.get(ref.url, source=ref.source)
    return RawItem(ref, result.data, result.entry.sha256, result.not_modified)
