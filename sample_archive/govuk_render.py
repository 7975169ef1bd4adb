"""GOV.UK's JSON envelopes for invented items: Content API speeches and people, Search API pages.

The shapes follow the real frontend representation (the Content Store's, as in the real
fixtures) and search-api's result presenter; only the text and the people are invented.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sample_archive.people import DEPARTMENTS, END, Person

BASE = "https://www.gov.uk"
LONDON = ZoneInfo("Europe/London")
NAMESPACE = uuid.UUID("6f1c2b2e-8d1e-4a57-9a53-2f0e4f1b7c11")  # for the invented content ids
ACRONYMS = {"cabinet-office": "CO", "hm-treasury": "HMT", "home-office": "HO", "department-for-education": "DfE",
            "department-of-health-and-social-care": "DHSC", "ministry-of-justice": "MOJ",
            "department-for-transport": "DfT", "department-for-work-and-pensions": "DWP",
            "ministry-of-housing-communities-and-local-government": "MHCLG",
            "department-for-environment-food-and-rural-affairs": "Defra"}


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def london(day: date, at: time = time(0, 0)) -> str:
    """A London wall-clock moment with its offset, as GOV.UK writes `delivered_on`."""
    return datetime.combine(day, at, tzinfo=LONDON).isoformat()


def utc_millis(moment: str) -> str:
    """The Search API's form of a timestamp: UTC with milliseconds and `Z`."""
    value = datetime.fromisoformat(moment).astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def person_slug(person: Person) -> str:
    """Unique like GOV.UK's: two invented peers may share a title, so theirs carry the given name."""
    return slug(person.name) + (f"-{slug(person.given)}" if person.house == "lords" else "")


def person_title(person: Person, role: str | None) -> str:
    if person.house == "lords":
        return person.name
    return f"The Rt Hon {person.name} MP" if role == "Secretary of State" else f"{person.name} MP"


def role_title(role: str, dept: str) -> str:
    return f"{role}, {DEPARTMENTS[dept]}"


def _expanded(path: str, title: str, document_type: str, schema: str, content_id: str, **extra) -> dict:
    return {"content_id": content_id, "title": title, "locale": "en", "api_path": f"/api/content{path}",
            "base_path": path, "document_type": document_type, "public_updated_at": "2016-01-04T09:00:00Z",
            "schema_name": schema, "withdrawn": False, **extra, "api_url": f"{BASE}/api/content{path}",
            "web_url": f"{BASE}{path}"}


def organisation_link(dept: str) -> dict:
    return _expanded(f"/government/organisations/{dept}", DEPARTMENTS[dept], "organisation", "organisation",
                     stable_id("organisation", dept), analytics_identifier=ACRONYMS[dept],
                     details={"brand": dept, "logo": {"formatted_title": DEPARTMENTS[dept], "crest": "single-identity"}},
                     links={})


def role_link(role: str, dept: str) -> dict:
    path = f"/government/ministers/{slug(role)}-{dept}"
    seniority = {"Secretary of State": 10, "Minister of State": 50}.get(role, 100)
    return _expanded(path, role_title(role, dept), "ministerial_role", "role", stable_id("role", role, dept),
                     details={"body": "<p>An invented ministerial role.</p>", "role_payment_type": None,
                              "seniority": seniority, "whip_organisation": {}}, links={})


def person_link(person: Person, role: str | None) -> dict:
    return _expanded(f"/government/people/{person_slug(person)}", person_title(person, role), "person", "person",
                     stable_id("person", person.person_id), details={"image": {"url": f"{BASE}/sample.jpg",
                                                                                "alt_text": person.name}}, links={})


def person_page(person: Person) -> dict:
    """`/api/content/government/people/<slug>`: the person with every government appointment."""
    appointments = []
    for order, (start, end, role, dept) in enumerate(person.offices, 1):
        if role.startswith("Shadow"):
            continue  # GOV.UK lists government roles only
        appointments.append({
            "content_id": stable_id("appointment", person.person_id, str(order)),
            "title": f"{person_title(person, role)} - {role_title(role, dept)}", "locale": "en",
            "document_type": "role_appointment", "public_updated_at": f"{start.isoformat()}T09:00:00Z",
            "schema_name": "role_appointment", "withdrawn": False,
            "details": {"started_on": london(start), "ended_on": None if end >= END else london(end),
                        "current": end >= END, "person_appointment_order": order},
            "links": {"role": [role_link(role, dept)]}})
    path = f"/government/people/{person_slug(person)}"
    return {"analytics_identifier": None, "base_path": path, "content_id": stable_id("person", person.person_id),
            "document_type": "person", "first_published_at": "2016-01-04T09:00:00.000+00:00", "locale": "en",
            "phase": "live", "public_updated_at": "2026-09-01T09:00:00.000+01:00", "publishing_app": "whitehall",
            "rendering_app": "collections", "schema_name": "person", "title": person_title(person, None),
            "updated_at": "2026-09-01T08:00:01.000Z", "withdrawn_notice": {}, "description": None,
            "details": {"body": f"<p>{person.name} is an invented minister of the sample archive.</p>",
                        "privy_counsellor": False, "image": {"url": f"{BASE}/sample.jpg", "alt_text": person.name}},
            "links": {"role_appointments": appointments, "available_translations": []}}


@dataclass
class SampleItem:
    """One invented speech item as the Content API serves it, and what its Search API result says."""

    base_path: str
    content_id: str
    document_type: str
    title: str
    description: str
    day: date
    delivered_on: str
    first_published: str
    public_updated: str
    body: str
    speaker: Person
    office: tuple[str, str]  # role, department slug
    with_roles: bool = True
    location: str | None = None
    speech_type_explanation: str | None = None
    locale: str = "en"
    withdrawn_at: str | None = None
    change_notes: list[tuple[str, str]] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)  # locales

    def content(self) -> dict:
        role, dept = self.office
        person = person_link(self.speaker, role)
        links = {"organisations": [organisation_link(dept)], "primary_publishing_organisation": [organisation_link(dept)],
                 "speaker": [person], "people": [person],
                 "available_translations": [{"locale": loc, "base_path": self.base_path + ("" if loc == "en" else f".{loc}"),
                                             "title": self.title} for loc in self.translations]}
        if self.with_roles:
            links["roles"] = [role_link(role, dept)]
        details = {"body": self.body, "political": True, "delivered_on": self.delivered_on,
                   "change_history": [{"public_timestamp": ts, "note": note} for ts, note in self.change_notes],
                   "government": {"title": "Invented government", "slug": "invented-government", "current": False},
                   "first_public_at": self.first_published}
        if self.location:
            details["location"] = self.location
        if self.speech_type_explanation:
            details["speech_type_explanation"] = self.speech_type_explanation
        notice = {}
        if self.withdrawn_at:
            notice = {"explanation": '<div class="govspeak"><p>This invented statement has been withdrawn because '
                                     "it is out of date.</p>\n</div>", "withdrawn_at": self.withdrawn_at}
        return {"analytics_identifier": None, "base_path": self.base_path, "content_id": self.content_id,
                "document_type": self.document_type, "first_published_at": self.first_published,
                "locale": self.locale, "phase": "live", "public_updated_at": self.public_updated,
                "publishing_app": "whitehall", "rendering_app": "frontend", "schema_name": "speech",
                "title": self.title, "updated_at": utc_millis(self.public_updated), "withdrawn_notice": notice,
                "publishing_request_id": stable_id("request", self.base_path, self.public_updated),
                "links": links, "description": self.description, "details": details}

    def search_result(self) -> dict:
        role, dept = self.office
        org = organisation_link(dept)
        return {"link": self.base_path, "title": self.title, "description": self.description,
                "public_timestamp": utc_millis(self.public_updated), "content_store_document_type": self.document_type,
                "people": [{"slug": person_slug(self.speaker), "title": person_title(self.speaker, role),
                            "link": f"/government/people/{person_slug(self.speaker)}",
                            "content_id": stable_id("person", self.speaker.person_id)}],
                "roles": [slug(role) + f"-{dept}"] if self.with_roles else [],
                "organisations": [{"slug": dept, "link": org["base_path"], "title": org["title"],
                                   "acronym": ACRONYMS[dept], "organisation_type": "ministerial_department",
                                   "organisation_state": "live", "content_id": org["content_id"]}],
                "government_name": "Invented government", "is_historic": False, "is_political": True,
                "content_id": self.content_id, "index": "government", "es_score": None, "_id": self.base_path,
                "elasticsearch_type": "edition", "document_type": "edition"}


def search_page(results: list[dict], total: int, start: int) -> bytes:
    """The Search API envelope (result_set_presenter): results, total, start, aggregates, ..."""
    page = {"results": results, "total": total, "start": start, "aggregates": {}, "suggested_queries": [],
            "suggested_autocomplete": [], "es_cluster": "A"}
    return json.dumps(page, indent=1, ensure_ascii=False).encode()


def gone_item(base_path: str) -> bytes:
    """What the Content API answers (HTTP 410) for an unpublished item."""
    return json.dumps({"base_path": base_path, "content_id": None, "document_type": "gone", "schema_name": "gone",
                       "locale": "en", "details": {"explanation": None, "alternative_path": None},
                       "links": {}, "public_updated_at": None, "title": None}, indent=1).encode()


def to_json(item: dict) -> bytes:
    return json.dumps(item, indent=1, ensure_ascii=False).encode()
