"""Who a GOV.UK speaker was on a date: role appointments from person, role and ministers pages.

GOV.UK publishes each appointment as a `role_appointment` with `details.started_on/ended_on`,
linked both ways: a person page (`/api/content/government/people/<slug>`) lists the person's
appointments with their `role`; a role page (e.g. `/government/ministers/prime-minister`) lists
its holders with their `person`; the ministers index (`/government/ministers`) nests people,
appointments and roles. `RoleBook` reads any of these shapes. Party is not on GOV.UK, and a
role whose kind the document type does not tell stays `unknown`: roles are never guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from extractors.govuk_models import Link, london_date

# What a GOV.UK role document type says about its holder, in CONTRACTS.md's role vocabulary.
# Board members (permanent secretaries, but also non-executives and MPs who sit on public
# bodies), military, special-representative and traffic-commissioner roles are left unknown.
ROLE_KINDS = {
    "ministerial_role": "minister",
    "ambassador_role": "official",
    "high_commissioner_role": "official",
    "deputy_head_of_mission_role": "official",
    "governor_role": "official",
    "worldwide_office_staff_role": "official",
    "chief_professional_officer_role": "official",
    "chief_scientific_officer_role": "official",
    "chief_scientific_advisor_role": "official",
}
_RANK = {"minister": 0, "official": 1, "unknown": 2}
MINISTERS_PATH = "/government/ministers/"

_PREFIX = re.compile(r"^(the\s+)?(rt\.?\s+hon\.?|right\s+honourable|hon\.?)\s+", re.IGNORECASE)
_POSTNOMINALS = {"MP", "QC", "KC", "MSP", "MS", "AM", "MLA", "MEP", "PC", "JP", "DL", "FRS", "FRSE",
                 "CB", "CBE", "OBE", "MBE", "KBE", "DBE", "KCB", "GCB", "CMG", "KCMG", "GCMG", "CH",
                 "LVO", "CVO", "KCVO", "GCVO", "FREng", "FMedSci", "FBA"}


def person_name(title: str) -> str:
    """A person page title without the courtesy prefix and post-nominals ('The Rt Hon X MP' → 'X')."""
    name = _PREFIX.sub("", title.strip())
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].strip(".") in _POSTNOMINALS:
        words.pop()
    return " ".join(words)


def _seniority(role: Link) -> int:
    value = role.details.get("seniority")
    return value if isinstance(value, int) else 1000


def role_kind(role: Link) -> str:
    """`minister`, `official` or `unknown` from a role link's document type."""
    document_type = role.document_type
    if not document_type and (role.base_path or "").startswith(MINISTERS_PATH):
        document_type = "ministerial_role"  # older links omit the type; the path is the ministers'
    return ROLE_KINDS.get(document_type or "", "unknown")


@dataclass(frozen=True)
class Appointment:
    """One person in one role, from `started_on` to `ended_on` (None while current)."""

    appointment_id: str
    start: date
    end: date | None
    role_title: str
    kind: str
    role_id: str | None = None
    seniority: int = 1000  # GOV.UK's role ordering: 0 is the Prime Minister

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class SpeakerRole:
    """The role a speaker held on the day, and where that was read."""

    kind: str
    title: str | None
    source: str  # "links.roles" | "role_appointments"


class RoleBook:
    """Role appointments by person (content_id and base path), read from GOV.UK content items."""

    def __init__(self) -> None:
        self._by_person: dict[str, dict[str, Appointment]] = {}

    def __len__(self) -> int:
        return len({a.appointment_id for book in self._by_person.values() for a in book.values()})

    def add_content_item(self, raw: bytes | dict) -> int:
        """Add every appointment a person, role or ministers-index item holds; return how many."""
        item = json.loads(raw) if isinstance(raw, (bytes, str)) else raw
        before = len(self)
        self._walk(item)
        return len(self) - before

    def _walk(self, node: object) -> None:
        if isinstance(node, list):
            for child in node:
                self._walk(child)
            return
        if not isinstance(node, dict):
            return
        links = node.get("links") or {}
        document_type = node.get("document_type") or ""
        for appointment in links.get("role_appointments") or []:
            appointment_links = appointment.get("links") or {}
            if document_type == "person":
                for role in appointment_links.get("role") or []:
                    self._add(node, Link.model_validate(role), appointment)
            elif document_type.endswith("_role"):
                for person in appointment_links.get("person") or []:
                    self._add(person, Link.model_validate(node), appointment)
        for child in links.values():
            self._walk(child)

    def _add(self, person: dict, role: Link, appointment: dict) -> None:
        details = appointment.get("details") or {}
        if not details.get("started_on"):
            return
        ended = details.get("ended_on")
        entry = Appointment(
            appointment_id=appointment.get("content_id") or f"{person.get('content_id')}:{role.content_id}",
            start=london_date(details["started_on"]),
            end=london_date(ended) if ended else None,
            role_title=role.title.strip(),
            kind=role_kind(role),
            role_id=role.content_id,
            seniority=_seniority(role),
        )
        for key in (person.get("content_id"), person.get("base_path")):
            if key:
                self._by_person.setdefault(key, {})[entry.appointment_id] = entry

    def appointments(self, person: Link) -> list[Appointment]:
        found: dict[str, Appointment] = {}
        for key in (person.content_id, person.base_path):
            found.update(self._by_person.get(key or "", {}))
        return sorted(found.values(), key=lambda a: (a.start, a.appointment_id))

    def role_at(self, person: Link, day: date) -> Appointment | None:
        """The appointment held on the day: a ministerial one first, then the latest started, then
        the most senior (the Prime Minister before First Lord of the Treasury)."""
        covering = [a for a in self.appointments(person) if a.covers(day)]
        if not covering:
            return None
        return min(covering, key=lambda a: (_RANK[a.kind], -a.start.toordinal(), a.seniority, a.role_title))


def speaker_role(speaker: Link, roles: list[Link], day: date, book: RoleBook | None) -> SpeakerRole | None:
    """The speaker's role on the day: the speech's own `links.roles`, else the appointments."""
    linked = [(role_kind(r), r.title.strip()) for r in roles]
    if any(kind != "unknown" for kind, _ in linked):
        kind, title = min(linked, key=lambda pair: _RANK[pair[0]])  # the first of the best kind
        return SpeakerRole(kind, title, "links.roles")
    appointment = book.role_at(speaker, day) if book is not None else None
    if appointment is not None:
        return SpeakerRole(appointment.kind, appointment.role_title, "role_appointments")
    if linked:
        return SpeakerRole("unknown", linked[0][1], "links.roles")
    return None
