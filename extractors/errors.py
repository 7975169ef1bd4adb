"""The errors extractors raise; the flow maps each to an item state."""

from __future__ import annotations


class ExtractorError(Exception):
    """Base class for every error an extractor raises on purpose."""


class ParseError(ExtractorError):
    """The raw bytes are not a valid document of the expected format: quarantine the item."""


class TransientFetchError(ExtractorError):
    """The source was unreachable or answered 5xx/429 after retries: retry next run."""


class GoneError(ExtractorError):
    """The source answered 404 or 410: the item is skipped as `gone`."""


class SkipItem(ExtractorError):
    """A well-formed item the codebook does not cover (superseded, translation, withdrawn...)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        from extractors.vocab import SKIP_REASONS

        if reason not in SKIP_REASONS:
            raise ValueError(f"skip reason {reason!r} not in {SKIP_REASONS}")
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
