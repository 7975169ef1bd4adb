"""GOV.UK's own shapes: Search API responses and Content API items, and their timestamps.

Only the fields the extractor reads are modelled; everything else is allowed and ignored, so a
new field on GOV.UK never breaks parsing. Timestamps are normalised once here: cursors and
versions are UTC `YYYY-MM-DDTHH:MM:SSZ` strings (they sort as text), and a speech's date is
the Europe/London calendar date of `details.delivered_on`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

LONDON = ZoneInfo("Europe/London")
SPEECH_DOCUMENT_TYPES = ("speech", "oral_statement", "written_statement", "authored_article")


def parse_instant(value: str) -> datetime:
    """An ISO 8601 timestamp (`Z`, offsets, milliseconds, or a bare date) as a datetime."""
    value = value.strip()
    if len(value) == 10:
        value += "T00:00:00"
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def utc_stamp(value: str) -> str:
    """The UTC `YYYY-MM-DDTHH:MM:SSZ` form of a timestamp (naive values are taken as UTC)."""
    moment = parse_instant(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def london_date(value: str) -> date:
    """The Europe/London calendar date of a timestamp (a naive value is London wall-clock time)."""
    moment = parse_instant(value)
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(LONDON).date()


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Link(_Open):
    """An expanded link: a person, role, role appointment, organisation or government."""

    content_id: str | None = None
    title: str = ""
    base_path: str | None = None
    document_type: str | None = None
    locale: str | None = None
    details: dict = Field(default_factory=dict)
    links: dict[str, list["Link"]] = Field(default_factory=dict)

    @field_validator("details", "links", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        return value or {}

    @field_validator("title", mode="before")
    @classmethod
    def _none_is_blank(cls, value: object) -> object:
        return value or ""


class WithdrawnNotice(_Open):
    explanation: str | None = None
    withdrawn_at: str | None = None

    @property
    def is_withdrawn(self) -> bool:
        """The real items carry `withdrawn_notice: {}` when they are not withdrawn."""
        return bool(self.explanation or self.withdrawn_at)


class RedirectRoute(_Open):
    path: str | None = None
    destination: str | None = None


class ContentItem(_Open):
    """The Content API envelope (`GET /api/content<base_path>`), any schema."""

    base_path: str | None = None
    content_id: str | None = None
    locale: str = "en"
    document_type: str = ""
    schema_name: str = ""
    title: str = ""
    description: str | None = None
    first_published_at: str | None = None
    public_updated_at: str | None = None
    updated_at: str | None = None
    withdrawn_notice: WithdrawnNotice | None = None
    redirects: list[RedirectRoute] = Field(default_factory=list)
    details: dict = Field(default_factory=dict)
    links: dict[str, list[Link]] = Field(default_factory=dict)

    @field_validator("details", "links", mode="before")
    @classmethod
    def _none_is_empty_mapping(cls, value: object) -> object:
        return {} if value is None else value

    @field_validator("redirects", mode="before")
    @classmethod
    def _none_is_empty_list(cls, value: object) -> object:
        return [] if value is None else value

    @field_validator("locale", "document_type", "schema_name", "title", mode="before")
    @classmethod
    def _none_is_blank(cls, value: object) -> object:
        return value or ""

    def linked(self, link_type: str) -> list[Link]:
        return self.links.get(link_type) or []


class ChangeNote(_Open):
    public_timestamp: str | None = None
    note: str | None = None


class SpeechDetails(_Open):
    """`details` of the speech schema (speech, oral/written statement, authored article)."""

    body: str = ""
    delivered_on: str | None = None
    location: str | None = None
    speech_type_explanation: str | None = None
    speaker_without_profile: str | None = None
    political: bool | None = None
    first_public_at: str | None = None
    change_history: list[ChangeNote] = Field(default_factory=list)
    government: dict | None = None

    @field_validator("body", mode="before")
    @classmethod
    def _none_is_blank(cls, value: object) -> object:
        return value or ""

    @field_validator("change_history", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        return value or []


class SearchResult(_Open):
    """One Search API result with the fields the project asks for (plus debug fields)."""

    link: str
    title: str = ""
    public_timestamp: str | None = None
    content_id: str | None = None
    content_store_document_type: str | None = None
    people: list[dict | str] = Field(default_factory=list)

    @field_validator("people", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        return value or []

    def person_paths(self) -> list[str]:
        """The base paths of the people linked to the result (expanded objects or bare slugs)."""
        paths = []
        for person in self.people:
            if isinstance(person, str):
                paths.append(person if person.startswith("/") else f"/government/people/{person}")
            elif person.get("link") or person.get("slug"):
                paths.append(person.get("link") or f"/government/people/{person['slug']}")
        return paths


class SearchResponse(_Open):
    """`GET /api/search.json`: `{results, total, start, aggregates, suggested_queries, ...}`."""

    results: list[SearchResult] = Field(default_factory=list)
    total: int
    start: int = 0
