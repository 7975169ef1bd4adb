"""Explicit limits on hostile or absurd input, set once from the settings at the entry point.

Every limit has a safe default here, so library code and tests work without settings; the
CLI and the flows call `configure(settings.limits())` once. Parsers read `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Limits:
    """What an input may be before it is refused (quarantined) or neutralised (split, cleaned)."""

    max_response_bytes: int = 50 * 1024 * 1024  # enforced while streaming; also the cap on a local file
    max_xml_entity_declarations: int = 200  # the 2009 ParlParse DTD declares 53
    max_xml_entity_chars: int = 64  # the longest replacement text an internal entity may have
    max_passage_chars: int = 10_000  # a longer passage is split at sentence boundaries (flagged)
    max_document_passages: int = 100_000  # more is refused
    max_zip_members: int = 2_000  # EPUB: entries in the archive
    max_zip_uncompressed_bytes: int = 200 * 1024 * 1024  # EPUB: total declared uncompressed size
    max_zip_ratio: int = 100  # EPUB: uncompressed/compressed ratio of any one entry
    max_pdf_pages: int = 2_000
    max_pdf_stream_bytes: int = 100 * 1024 * 1024  # PDF: the decoded content of one page

    def but(self, **changes: int) -> "Limits":
        """A copy with some limits changed (tests, one-off commands)."""
        return replace(self, **changes)


_current = Limits()


def current() -> Limits:
    """The limits in force."""
    return _current


def configure(limits: Limits) -> Limits:
    """Put `limits` in force (called once by the entry point); return the previous ones."""
    global _current
    previous, _current = _current, limits
    return previous
