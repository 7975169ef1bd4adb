"""Fetch and parse one discovered item, mapping every failure to its item state."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from extractors.base import Extractor, ItemRef, RawItem
from extractors.errors import GoneError, ParseError, SkipItem, TransientFetchError
from extractors.http import FetchError, HttpClient
from extractors.neutralise import neutralise
from extractors.passage import Document

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What became of one item before loading: parsed, skipped, quarantined or failed_transient."""

    ref: ItemRef
    state: str
    document: Document | None = None
    raw_sha256: str | None = None
    reason: str | None = None
    error: str | None = None
    stage: str | None = None

    @property
    def source(self) -> str:
        return self.ref.source


def prepare(extractor: Extractor, client: HttpClient, raw: RawItem) -> None:
    """Load the reference data parsing `raw` needs outside a discovery (a quarantine retry).

    An extractor whose parse reads what `discover` gathered (members, people pages) has a
    `prepare(client, raw)` method; the others need nothing.
    """
    hook = getattr(extractor, "prepare", None)
    if hook is not None:
        hook(client, raw)


def acquire(extractor: Extractor, client: HttpClient, ref: ItemRef, *, prepared: bool = False) -> Outcome:
    """Fetch then parse; never raises for a bad item, only for a bug in the caller.

    `prepared=True` (a retry outside a discovery) calls `prepare` between fetch and parse.
    """
    if ref.skip_reason:
        return Outcome(ref, "skipped", reason=ref.skip_reason)
    try:
        raw = extractor.fetch(client, ref)
    except TransientFetchError as exc:
        return Outcome(ref, "failed_transient", error=str(exc), stage="fetch")
    except GoneError as exc:
        return Outcome(ref, "skipped", reason="gone", error=str(exc))
    except SkipItem as exc:
        return Outcome(ref, "skipped", reason=exc.reason, error=exc.detail)
    except (FetchError, ParseError) as exc:
        return Outcome(ref, "quarantined", error=str(exc), stage="fetch")
    if prepared:
        prepare(extractor, client, raw)
    return parse_raw(extractor, raw)


def parse_raw(extractor: Extractor, raw: RawItem) -> Outcome:
    """Parse raw bytes already in the archive (also used to retry quarantined items)."""
    ref = raw.ref
    try:
        document = neutralise(extractor.parse(raw))
    except SkipItem as exc:
        return Outcome(ref, "skipped", raw_sha256=raw.sha256, reason=exc.reason, error=exc.detail)
    except ParseError as exc:
        return Outcome(ref, "quarantined", raw_sha256=raw.sha256, error=str(exc), stage="parse")
    except Exception as exc:  # a parser bug must not stop the run: quarantine with the type named
        log.exception("unexpected parser failure on %s", ref.item_id)
        return Outcome(ref, "quarantined", raw_sha256=raw.sha256, stage="parse",
                       error=f"unexpected {type(exc).__name__} in parser: {exc}")
    return Outcome(ref, "parsed", document=document, raw_sha256=raw.sha256)
