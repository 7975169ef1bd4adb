"""Every source the pipeline knows, by its CONTRACTS.md name."""

from __future__ import annotations

from typing import Callable

from extractors.base import Extractor
from extractors.govuk import GovukExtractor
from extractors.library import LibraryExtractor
from extractors.ministers_reflect import MinistersReflectExtractor
from extractors.committees import CommitteesExtractor
from extractors.inquiry import InquiryExtractor
from extractors.parlparse import MembersData, ParlParseExtractor

Shared = dict[str, object]

FACTORIES: dict[str, Callable[[Shared], Extractor]] = {
    "hansard": lambda shared: ParlParseExtractor("hansard", members=shared.setdefault("members", MembersData())),
    "hansard_wms": lambda shared: ParlParseExtractor("hansard_wms", members=shared.setdefault("members", MembersData())),
    "govuk": lambda shared: GovukExtractor(),
    "ministers_reflect": lambda shared: MinistersReflectExtractor(),
    "library": lambda shared: LibraryExtractor(),
    "committees": lambda shared: CommitteesExtractor(),
    "inquiry": lambda shared: InquiryExtractor(),
}

SOURCES: tuple[str, ...] = tuple(FACTORIES)


def build_extractors(sources: list[str] | tuple[str, ...]) -> dict[str, Extractor]:
    """One extractor per source; sources that read the same reference data share it."""
    shared: Shared = {}
    unknown = [s for s in sources if s not in FACTORIES]
    if unknown:
        raise ValueError(f"unknown source(s) {unknown}; known: {', '.join(SOURCES)}")
    return {source: FACTORIES[source](shared) for source in sources}
