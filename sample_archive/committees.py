"""Invented select-committee oral evidence, served exactly as the Committees API serves it.

About two sessions a quarter from 2016 to 2026-Q3, each 20-40 turns: committee members from
people.py question ministers (people holding office on the day), invented officials, special
advisers and outside witnesses; about half the passages are about the civil service, with the
quarter's frame shares. The archive gets, per session, the `/Document/Html` JSON (base64 HTML in
the transcript layout) or, for one legacy session, only the `/Document/Pdf` JSON (a real PDF with
running headers); and the `/api/OralEvidence` listing pages for every `StartDate` grid point the
extractor can ask for (each month's first day, and none), newest first, 30 to a page.
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import replace
from datetime import date, timedelta

from extractors.archive import RawArchive
from extractors.committees import PAGE_SIZE, document_url, listing_url, web_url
from extractors.http import canonical_url
from extractors.passage import split_sentences
from sample_archive.committee_render import Panel, SampleTurn, SampleWitness, Session, render_html, render_pdf
from sample_archive.compose import AS_OF, Composed, compose_irrelevant, compose_relevant, truth_row
from sample_archive.people import DEPARTMENTS, FAMILY, GIVEN, Person
from sample_archive.schedule import frame_shares, quarters

SOURCE = "committees"
COMMITTEES = ((327, "Public Administration and Constitutional Affairs Committee"), (158, "Treasury Committee"),
              (127, "Public Accounts Committee"), (103, "Liaison Committee"), (83, "Home Affairs Committee"),
              (203, "Education Committee"))
INQUIRIES = (("The work of the Cabinet Office", True), ("Civil Service effectiveness", True),
             ("Accountability of permanent secretaries", True), ("Ministers and officials", True),
             ("Skills and capability in Whitehall", True), ("Delivery from the centre of government", True),
             ("Rural bus services", False), ("Flood resilience", False), ("Prison capacity", False),
             ("School transport", False), ("Broadband roll-out", False), ("Water quality", False))
ORGANISATIONS = ("Institute for Public Administration Studies", "Centre for Effective Government",
                 "University of Barchester", "Civic Reform Trust", "Association of Public Managers",
                 "Local Services Network", "Audit Futures Foundation")
EXTERNAL_POSTS = ("Director", "Senior Fellow", "Professor of Public Policy", "Chief Executive", "Programme Director")
OFFICIAL_POSTS = ("Permanent Secretary", "Director General, Public Services", "Second Permanent Secretary",
                  "Director General, Strategy")
LAST_PUBLICATION = date(2026, 9, 30)
PDF_SESSION = 3  # the fourth session (2016-Q2) is a legacy one, published as a PDF only


def _day_in_quarter(year: int, q: int, rng: random.Random) -> date:
    while True:
        day = date(year, 3 * q - 2, 1) + timedelta(days=rng.randrange(88))
        if day.weekday() < 4 and day.month != 8 and day <= date(2026, 9, 16):
            return day


class Cast:
    """Invented witnesses (never any of people.py's parliamentarians), unique names across the archive."""

    def __init__(self, people: list[Person], rng: random.Random) -> None:
        taken = {(p.given, p.family) for p in people}
        self.names = [(g, f) for g in GIVEN for f in FAMILY if (g, f) not in taken]
        rng.shuffle(self.names)
        self.person_ids = iter(range(70001, 99999))

    def person(self) -> tuple[str, str, int]:
        given, family = self.names.pop()
        return given, family, next(self.person_ids)


def _witness(kind: str, cast: Cast, rng: random.Random, department: str, minister: Person | None = None,
             day: date | None = None) -> SampleWitness:
    if kind == "minister" and minister and day:
        title, dept = minister.office_at(day)
        organisation = DEPARTMENTS[dept]
        mnis = int(minister.member_id.rsplit("/", 1)[-1])
        api = {"id": mnis, "personId": mnis, "name": minister.name, "submitterType": "Individual",
               "memberInfo": {"mnisId": mnis, "displayAs": minister.name}, "additionalContext": None,
               "organisations": [{"name": organisation, "role": title, "cisId": 100 + mnis % 97}]}
        return SampleWitness(f"{minister.name} MP", minister.name, title, organisation, "minister", api)
    given, family, person_id = cast.person()
    name = f"{given} {family}"
    if kind == "official":
        post, organisation, role = rng.choice(OFFICIAL_POSTS), department, "official"
    elif kind == "special_adviser":
        post, organisation, role = "Special Adviser to the Secretary of State", department, "special_adviser"
    elif kind == "personal":  # giving evidence in a personal capacity: nothing recorded about them
        api = {"id": person_id, "personId": person_id, "name": name, "submitterType": "Individual",
               "memberInfo": None, "additionalContext": None, "organisations": []}
        return SampleWitness(name, name, None, None, "unknown", api)
    else:
        post, organisation, role = rng.choice(EXTERNAL_POSTS), rng.choice(ORGANISATIONS), "external_witness"
    label = name
    if post.startswith("Professor"):
        name, label = f"Professor {name}", f"Professor {family}"
    org = {"name": organisation, "role": post, "cisId": 5000 + sum(map(ord, organisation)) % 900}
    if kind == "organisation":  # the API names only the body; the transcript header names the person
        api = {"id": person_id, "personId": None, "name": None, "submitterType": "Organisation",
               "memberInfo": None, "additionalContext": None, "organisations": [org]}
    else:
        api = {"id": person_id, "personId": person_id, "name": name, "submitterType": "Individual",
               "memberInfo": None, "additionalContext": None, "organisations": [org]}
    return SampleWitness(name, label, post, organisation, role, api)


def _passage(rng: random.Random, day: date, share: float) -> Composed:
    if rng.random() < share:
        return compose_relevant(rng, frame_shares(day.year, (day.month - 1) // 3 + 1))
    return compose_irrelevant(rng)


def _paragraphs(text: str, rng: random.Random) -> list[str]:
    """One paragraph, or two (the second unlabelled, continuing the speaker) at a sentence break."""
    sentences = split_sentences(text)
    if len(sentences) > 1 and rng.random() < 0.3:
        cut = rng.randrange(1, len(sentences))
        return [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
    return [text]


def _session(evidence_id: int, day: date, people: list[Person], cast: Cast, q_next: dict[str, int],
             rng: random.Random) -> tuple[Session, list[Composed]]:
    committee = rng.choice(COMMITTEES)
    inquiry_index = rng.randrange(len(INQUIRIES))
    title, relevant = INQUIRIES[inquiry_index]
    share = 0.75 if relevant else 0.25
    office = [p for p in people if p.house == "commons" and p.sitting(day) and p.office_at(day)
              and "Shadow" not in p.office_at(day)[0]]
    backbench = [p for p in people if p.house == "commons" and p.sitting(day) and not p.office_at(day)]
    members = rng.sample(backbench, rng.randint(4, 7))
    chair, others = members[0], members[1:]
    department = DEPARTMENTS[rng.choice(list(DEPARTMENTS))]
    kinds = [["external", rng.choice(("external",) * 4 + ("organisation",) * 3 + ("personal",))],
             [rng.choice(("official", "special_adviser")), "minister"]]
    panels = []
    for panel_kinds in kinds[: rng.choice((1, 2, 2))]:
        witnesses = [_witness(k, cast, rng, department, rng.choice(office) if office else None, day)
                     for k in panel_kinds if k != "minister" or office]
        panels.append(Panel(witnesses))
    families = [n.removesuffix(" MP").split()[-1]
                for n in [m.name for m in members] + [w.name for p in panels for w in p.witnesses]]
    for witness in (w for p in panels for w in p.witnesses):  # a surname label must name one person only
        if witness.label != witness.name and families.count(witness.label.split()[-1]) > 1:
            witness.label = witness.name
    composed: list[Composed] = []
    turns_total = rng.randint(20, 40)
    per_panel = [turns_total // len(panels)] * len(panels)
    q = q_next.get(title, 1)
    for panel, budget in zip(panels, per_panel):
        while budget > 0:
            asker = rng.choice(members)
            label = "Chair" if asker is chair else asker.name
            for position, speaker in enumerate([None] + rng.sample(panel.witnesses, rng.randint(1, len(panel.witnesses)))):
                text = _passage(rng, day, share)
                composed.append(text)
                if speaker is None:
                    panel.turns.append(SampleTurn(q, label, _paragraphs(text.text, rng)))
                else:
                    panel.turns.append(SampleTurn(None, speaker.label, _paragraphs(text.text, rng)))
                budget -= 1
            q += 1
    q_next[title] = q
    published = min(day + timedelta(days=rng.randint(3, 14)), LAST_PUBLICATION)
    session = Session(evidence_id, committee, (9000 + inquiry_index, title), 300 + inquiry_index * 7 + day.year % 10,
                      day, published, chair.name, [m.name for m in others], panels)
    return session, composed


def build_sessions(people: list[Person], seed: int) -> list[tuple[Session, list[Composed]]]:
    rng = random.Random(seed * 7 + 3)
    cast = Cast(people, rng)
    q_next: dict[str, int] = {}
    sessions = []
    evidence_id = 1000
    for year, q in quarters():
        for day in sorted(_day_in_quarter(year, q, rng) for _ in range(2)):
            evidence_id += 1 + rng.randrange(40)
            sessions.append(_session(evidence_id, day, people, cast, q_next, rng))
    sessions[PDF_SESSION][0].pdf_only = True
    return sessions


def api_item(session: Session, document: bool = True) -> dict:
    """The session as `/api/OralEvidence` lists it."""
    fmt = "Pdf" if session.pdf_only else "Html"
    files = [{"fileName": f"{session.evidence_id}.{fmt.lower()}", "fileSize": None, "fileDataFormat": fmt,
              "url": web_url(session.evidence_id, fmt.lower())}]
    return {
        "id": session.evidence_id, "publicationDate": f"{session.published.isoformat()}T10:{session.evidence_id % 60:02d}:00",
        "meetingDate": f"{session.meeting.isoformat()}T00:00:00", "activityStartDate": f"{session.meeting.isoformat()}T09:30:00",
        "activityId": 40000 + session.evidence_id, "witnesses": [w.api for p in session.panels for w in p.witnesses],
        "document": {"documentId": 80000 + session.evidence_id, "files": files} if document else None,
        "committees": [{"id": session.committee[0], "name": session.committee[1], "house": "Commons"}],
        "committeeBusinesses": [{"id": session.inquiry[0], "title": session.inquiry[1], "type": {"name": "Inquiry"}}],
        "hcNumbers": [{"number": str(session.hc_number), "sessionId": 700 + session.meeting.year,
                       "sessionDescription": f"{session.meeting.year}-{(session.meeting.year + 1) % 100:02d}"}],
        "legacyHtmlUrl": None, "legacyPdfUrl": None,
    }


def document_json(session: Session) -> tuple[str, bytes]:
    """(API URL, the `Accept: application/json` answer) of the session's transcript document."""
    fmt = "Pdf" if session.pdf_only else "Html"
    content = render_pdf(session) if session.pdf_only else render_html(session)
    payload = {"fileName": f"{session.evidence_id}.{fmt.lower()}", "fileSize": len(content), "fileDataFormat": fmt,
               "url": web_url(session.evidence_id, fmt.lower()), "data": base64.b64encode(content).decode("ascii")}
    return document_url(session.evidence_id, fmt), json.dumps(payload).encode()


def month_starts() -> list[date]:
    out, day = [], date(2016, 1, 1)
    while day <= date(2026, 10, 1):
        out.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def write_listings(archive: RawArchive, items: list[tuple[date, dict]]) -> None:
    """Every listing the extractor can ask for: each month's first day as `StartDate`, and none."""
    newest_first = [item for _, item in sorted(items, key=lambda pair: (pair[1]["publicationDate"], pair[1]["id"]),
                                               reverse=True)]
    for start in [None, *month_starts()]:
        chosen = [i for i in newest_first if start is None or i["publicationDate"][:10] >= start.isoformat()]
        for skip in range(0, max(len(chosen), 1), PAGE_SIZE):
            page = {"items": chosen[skip:skip + PAGE_SIZE], "totalResults": len(chosen)}
            archive.record(canonical_url(listing_url(skip, start)), json.dumps(page, separators=(",", ":")).encode(),
                           fetched_at=AS_OF,
                           content_type="application/json; charset=utf-8", source=SOURCE)


def write(archive: RawArchive, people: list[Person], seed: int) -> list[dict]:
    """Record every session's document and the listings; return the truth rows."""
    truth: list[dict] = []
    items: list[tuple[date, dict]] = []
    sessions = build_sessions(people, seed)
    for session, composed in sessions:
        url, data = document_json(session)
        archive.record(canonical_url(url), data, fetched_at=f"{session.published.isoformat()}T12:00:00+00:00",
                       content_type="application/json; charset=utf-8", source=SOURCE)
        items.append((session.published, api_item(session)))
        for index, passage in enumerate(composed):
            truth.append(truth_row(SOURCE, f"oralevidence/{session.evidence_id}", index, session.meeting, passage))
    # a session held but not yet transcribed: listed with `document: null`, not yet a document
    last = sessions[-1][0]
    pending = replace(last, evidence_id=last.evidence_id + 1, meeting=date(2026, 9, 23), published=LAST_PUBLICATION)
    items.append((pending.published, api_item(pending, document=False)))
    write_listings(archive, items)
    return truth
