"""Who a Hansard speaker was on a date: person, party, house and office, from ParlParse members data.

Inputs are mySociety's Popolo files (`people.json`, `ministers.json`, `ministers-2010.json`)
and, for pre-2014 speaker ids, the legacy `people.xml` id map. Where the data for a date are
absent, the answer is `unknown` / None: a role is never guessed.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

_SHADOW = re.compile(r"\bshadow\b", re.IGNORECASE)
_MINISTERIAL = re.compile(
    r"^(the )?(prime minister|deputy prime minister|first secretary of state|secretary of state|"
    r"minister|parliamentary under[- ]secretary|parliamentary secretary|chancellor|chief secretary|"
    r"financial secretary|economic secretary|exchequer secretary|paymaster general|attorney general|"
    r"solicitor general|advocate general|lord privy seal|president of the council|lord president|"
    r"leader of the house|lord chancellor|chief whip|deputy chief whip|whip|assistant whip|"
    r"lords? commissioner|lords? in waiting|baroness(es)? in waiting|vice[- ]chamberlain|"
    r"comptroller of|treasurer of)",
    re.IGNORECASE,
)
FAR_FUTURE = "9999-12-31"


@dataclass(frozen=True)
class Span:
    start: str
    end: str
    value: str
    extra: str | None = None


@dataclass
class Members:
    """Lookups from speaker ids to people, and from people to party, house and office at a date."""

    person_of_id: dict[str, str] = field(default_factory=dict)
    party_spans: dict[str, list[Span]] = field(default_factory=dict)
    house_spans: dict[str, list[Span]] = field(default_factory=dict)
    office_spans: dict[str, list[Span]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    offices_cover: tuple[str, str] | None = None  # the dates the ministers data speak for
    party_names: dict[str, str] = field(default_factory=dict)

    # -- building ------------------------------------------------------------------------------

    def add_people_json(self, raw: bytes) -> None:
        """Add a Popolo people.json: ids, party and house memberships."""
        data = json.loads(raw)
        for org in data.get("organizations", []):
            self.party_names[org["id"]] = org.get("name", org["id"])
        posts = {p["id"]: p for p in data.get("posts", [])}
        for person in data.get("persons", []):
            pid = person["id"]
            self.person_of_id[pid] = pid
            for name in person.get("other_names", []):
                if name.get("note") == "Main" or pid not in self.names:
                    full = " ".join(filter(None, (name.get("given_name"), name.get("family_name"))))
                    self.names[pid] = full or name.get("lordname", "") or self.names.get(pid, "")
        for m in data.get("memberships", []):
            pid = m.get("person_id")
            if not pid:
                continue
            self.person_of_id[m["id"]] = pid
            start, end = m.get("start_date", "0000-01-01"), m.get("end_date", FAR_FUTURE)
            if m.get("on_behalf_of_id"):
                party = self.party_names.get(m["on_behalf_of_id"], m["on_behalf_of_id"])
                self.party_spans.setdefault(pid, []).append(Span(start, end, party))
            org = m.get("organization_id") or posts.get(m.get("post_id"), {}).get("organization_id")
            house = {"house-of-commons": "commons", "house-of-lords": "lords"}.get(org or "")
            if house is None and m["id"].startswith("uk.org.publicwhip/lord/"):
                house = "lords"
            elif house is None and m["id"].startswith("uk.org.publicwhip/member/"):
                house = "commons"
            if house:
                self.house_spans.setdefault(pid, []).append(Span(start, end, house))
        self._sort()

    def add_ministers_json(self, raw: bytes) -> None:
        """Add a Popolo ministers file: government and shadow offices with their dates."""
        data = json.loads(raw)
        orgs = {o["id"]: o.get("name", o["id"]) for o in data.get("organizations", [])}
        first, last = FAR_FUTURE, "0000-01-01"
        for m in data.get("memberships", []):
            role = m.get("role")
            pid = m.get("person_id")
            if not role or not pid:
                continue
            start, end = m.get("start_date", "0000-01-01"), m.get("end_date", FAR_FUTURE)
            kind = classify_office(role)
            first, last = min(first, start), max(last, end if end != FAR_FUTURE else start)
            if kind:
                department = orgs.get(m.get("organization_id", ""), m.get("organization_id"))
                self.office_spans.setdefault(pid, []).append(Span(start, end, kind, department))
        if first <= last:
            lo, hi = self.offices_cover or (first, last)
            self.offices_cover = (min(lo, first), max(hi, last))
        self._sort()

    def add_legacy_people_xml(self, raw: bytes) -> None:
        """Add the legacy id map: member/lord/moffice ids → person ids."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(raw, parser)
        for person in root.iter("person"):
            pid = person.get("id")
            self.names.setdefault(pid, person.get("latestname", ""))
            for office in person.iter("office"):
                self.person_of_id[office.get("id")] = pid

    def _sort(self) -> None:
        for spans in (self.party_spans, self.house_spans, self.office_spans):
            for key in spans:
                spans[key].sort(key=lambda s: s.start)

    # -- lookups ---------------------------------------------------------------------------

    def person(self, speaker_id: str | None) -> str | None:
        if not speaker_id:
            return None
        if speaker_id.startswith("uk.org.publicwhip/person/"):
            return speaker_id
        return self.person_of_id.get(speaker_id)

    @staticmethod
    def _at(spans: list[Span] | None, day: str) -> Span | None:
        if not spans:
            return None
        index = bisect_right([s.start for s in spans], day)
        for span in reversed(spans[:index]):
            if span.start <= day <= span.end:
                return span
        return None

    def party_at(self, person_id: str | None, day: date) -> str | None:
        span = self._at(self.party_spans.get(person_id or ""), day.isoformat())
        return span.value if span else None

    def role_at(self, person_id: str | None, day: date) -> tuple[str, str | None]:
        """(role, department) on the day, from offices and house; `unknown` without data."""
        iso = day.isoformat()
        office = self._at(self.office_spans.get(person_id or ""), iso)
        if office:
            return office.value, office.extra
        # "Holds no office" is only known where the people data place the person in a house on
        # that day and the ministers data speak for that day; a speaker-id hint is not enough.
        covered = self.offices_cover is not None and self.offices_cover[0] <= iso <= self.offices_cover[1]
        house_span = self._at(self.house_spans.get(person_id or ""), iso)
        if covered and house_span:
            return ("peer" if house_span.value == "lords" else "backbench_mp"), None
        return "unknown", None


def classify_office(role: str) -> str | None:
    """`minister`, `shadow_minister`, or None for PPS, committee and party posts."""
    cleaned = role.strip().lstrip("- ").strip()
    if _SHADOW.search(cleaned):
        return "shadow_minister"
    if cleaned.upper().startswith("PPS") or "private secretar" in cleaned.lower():
        return None
    if _MINISTERIAL.match(cleaned):
        return "minister"
    return None
