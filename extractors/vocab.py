"""The controlled vocabularies of CONTRACTS.md that every stage shares."""

from __future__ import annotations

SOURCE_TYPES = ("speech", "debate", "committee_evidence", "memoir_interview")

SOURCE_TYPE_OF = {
    "govuk": "speech",
    "hansard": "debate",
    "hansard_wms": "speech",
    "committees": "committee_evidence",
    "inquiry": "committee_evidence",
    "ministers_reflect": "memoir_interview",
    "library": "memoir_interview",
}

ROLES = (
    "minister",
    "shadow_minister",
    "backbench_mp",
    "peer",
    "official",
    "special_adviser",
    "committee_member",
    "external_witness",
    "author",
    "unknown",
)

ITEM_STATES = ("loaded", "unchanged", "skipped", "quarantined", "failed_transient")

SKIP_REASONS = ("superseded", "translation", "withdrawn", "procedural", "gone", "out_of_scope")

IMPORT_PREFIX = "import:"


def source_type_of(source: str) -> str:
    """The source_type CONTRACTS.md gives a source; `import:NAME` sources default to debate."""
    if source.startswith(IMPORT_PREFIX):
        return "debate"
    try:
        return SOURCE_TYPE_OF[source]
    except KeyError:
        raise ValueError(f"unknown source {source!r}") from None
