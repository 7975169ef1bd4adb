"""The Committees API's own shapes (SOURCES-SPEC 3a, 3a.1), and the raw bundle the extractor stores.

Field names follow the API (camelCase on the wire, snake_case here). Unknown fields are
ignored, missing optional ones are None: the API adds fields over time, and the extractor
must read what it needs without breaking on what it does not.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from extractors.errors import ParseError

BUNDLE_FORMAT = "whitehall/committees-oral-evidence/1"
LONDON = ZoneInfo("Europe/London")


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class Organisation(ApiModel):
    name: str | None = None
    role: str | None = None  # the witness's post at this body
    cis_id: int | None = None
    idms_id: str | None = None


class MemberInfo(ApiModel):
    mnis_id: int | None = None
    display_as: str | None = None


class Witness(ApiModel):
    id: int | None = None
    person_id: int | None = None
    name: str | None = None  # null for an organisation witness
    member_info: MemberInfo | None = None
    submitter_type: str | None = None  # Individual | Organisation
    additional_context: str | None = None
    organisations: list[Organisation] = Field(default_factory=list)


class CommitteeRef(ApiModel):
    id: int | None = None
    name: str | None = None
    house: str | None = None


class BusinessType(ApiModel):
    name: str | None = None


class CommitteeBusiness(ApiModel):
    id: int | None = None
    title: str | None = None
    type: BusinessType | None = None


class HcNumber(ApiModel):
    number: str | int | None = None
    session_id: int | None = None
    session_description: str | None = None


class DocumentFile(ApiModel):
    file_name: str | None = None
    file_size: int | None = None
    file_data_format: str | None = None  # Html | Pdf | OriginalFormat
    url: str | None = None


class DocumentInfo(ApiModel):
    document_id: int | None = None
    files: list[DocumentFile] = Field(default_factory=list)

    def formats(self) -> set[str]:
        return {f.file_data_format for f in self.files if f.file_data_format}


class OralEvidenceItem(ApiModel):
    """One oral evidence session (one transcript) as `/api/OralEvidence` lists it."""

    id: int
    publication_date: str | None = None
    meeting_date: str | None = None  # the sitting date
    activity_start_date: str | None = None
    activity_id: int | None = None
    witnesses: list[Witness] = Field(default_factory=list)
    document: DocumentInfo | None = None
    committees: list[CommitteeRef] = Field(default_factory=list)
    committee_businesses: list[CommitteeBusiness] = Field(default_factory=list)
    hc_numbers: list[HcNumber] = Field(default_factory=list)
    legacy_html_url: str | None = None
    legacy_pdf_url: str | None = None


class Listing(ApiModel):
    """A page of a Committees API collection: `{items: [...], totalResults}`."""

    items: list[dict] = Field(default_factory=list)
    total_results: int = 0


class DocumentPayload(ApiModel):
    """`/Document/{format}` answered with `Accept: application/json`: `data` is base64."""

    file_name: str | None = None
    file_size: int | None = None
    file_data_format: str | None = None
    url: str | None = None
    data: str

    def content(self) -> bytes:
        try:
            return base64.b64decode(self.data, validate=False)
        except (binascii.Error, ValueError) as exc:
            raise ParseError(f"document data is not base64 ({exc})") from exc


def read_listing(raw: bytes, url: str) -> Listing:
    try:
        return Listing.model_validate_json(raw)
    except ValidationError as exc:
        raise ParseError(f"{url}: not a Committees API listing ({exc.errors()[0]['msg']})") from exc


def api_datetime(value: str) -> datetime:
    """An API timestamp (`2024-03-12T00:00:00`, with or without an offset)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def api_day(value: str) -> date:
    """The London calendar day of an API timestamp (naive ones are London time already)."""
    moment = api_datetime(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON)
    return moment.date()


def utc_stamp(value: str) -> str:
    """`YYYY-MM-DDTHH:MM:SS` in UTC (naive values are taken as given), which sorts as a string."""
    moment = api_datetime(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


# -- the raw bundle ---------------------------------------------------------------------------

def make_bundle(item: dict, document_url: str, document: dict) -> bytes:
    """The raw item of one session: the listing's API item and the Document JSON, as served.

    Parsing reads only these bytes, so it stays a pure function of the raw item. The key order
    and separators are fixed so that the same two responses always give the same bytes.
    """
    bundle = {"format": BUNDLE_FORMAT, "item": item, "document_url": document_url, "document": document}
    return json.dumps(bundle, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Bundle(BaseModel):
    model_config = ConfigDict(extra="ignore")

    format: str
    item: OralEvidenceItem
    document_url: str
    document: DocumentPayload


def read_bundle(raw: bytes, name: str) -> Bundle:
    try:
        bundle = Bundle.model_validate_json(raw)
    except ValidationError as exc:
        raise ParseError(f"{name}: not a committees raw bundle ({exc.errors()[0]['msg']})") from exc
    if bundle.format != BUNDLE_FORMAT:
        raise ParseError(f"{name}: bundle format {bundle.format!r}, expected {BUNDLE_FORMAT!r}")
    return bundle
