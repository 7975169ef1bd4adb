"""Invented memoirs and interviews: Ministers Reflect pages and a library of EPUB books.

- About one Ministers Reflect interview a quarter (2016-Q1 to 2026-Q3), each with 15-30 turns
  between one or two invented IfG interviewers and a former minister from `people.py`, with
  a biography of the offices they held, topic subheadings, pull quotes and unlabelled
  continuation paragraphs; index pages of ten, newest first.
- Four books as EPUB 3 files with `.meta.json` sidecars, published across the period: two
  memoirs, a diary (`z3998:diary-entry` articles, footnotes, an endnotes file) and a peer's
  memoir, recorded in the archive where the library source finds them in replay.

Every passage is dated by publication, and its text follows the frame shares of that quarter.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta, timezone

from extractors.archive import RawArchive
from extractors.http import canonical_url
from extractors.library import LIBRARY_URL, LISTING_FORMAT, file_url, listing_bytes, sidecar_name
from extractors.ministers_reflect import index_url
from sample_archive.compose import AS_OF, Composed, compose_irrelevant, compose_relevant, truth_row
from sample_archive.memoir_books import BOOKS, build_book
from sample_archive.ministers_reflect_render import PER_PAGE, Interview, SpokenTurn, index_page, interview_page
from sample_archive.people import DEPARTMENTS, PARTIES, Person
from sample_archive.schedule import frame_shares, quarters

INTERVIEWERS = (("Harriet Quenby", "HQ"), ("Rufus Penhaligon", "RP"), ("Ottilie Marchmont", "OM"),
                ("Edmund Tresillian", "ET"))
TOPICS = ("Becoming a minister", "Working with officials", "The private office", "Getting things done",
          "Parliament and the department", "Leaving office", "Advice for new ministers")
TITLES = {"Secretary of State": "secretary of state at", "Minister of State": "minister of state at",
          "Parliamentary Under-Secretary": "parliamentary under-secretary of state at"}
SEATS = ("Carlisle", "Stoke Central", "Truro", "Grimsby North", "Wrexham", "Barnsley East", "Hastings",
         "Kettering", "Penrith", "Swindon South")
INTERVIEW_RELEVANT = 0.6
QUESTION_RELEVANT = 0.4
BOOK_RELEVANT = 0.6


def _composed(rng: random.Random, day: date, relevant_share: float) -> Composed:
    if rng.random() < relevant_share:
        return compose_relevant(rng, frame_shares(day.year, (day.month - 1) // 3 + 1))
    return compose_irrelevant(rng)


def _stamp(day: date) -> str:
    return datetime.combine(day, time(9, 0), tzinfo=timezone.utc).isoformat()


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.replace("-", " ").split() if part[0].isupper())


def _office_phrase(role: str, dept: str) -> str:
    return f"{TITLES[role]} the {DEPARTMENTS[dept]}".replace("the HM Treasury", "HM Treasury")


def _government(person: Person) -> list[tuple[date, date, str, str]]:
    """The person's government (not shadow) offices."""
    return [o for o in person.offices if not o[2].startswith("Shadow")]


def _years(start: date, end: date) -> str:
    return f"{start.year}" if start.year == end.year else f"{start.year}–{str(end.year)[2:]}"


def _bio(rng: random.Random, person: Person, full: str, published: date) -> tuple[list[str], str]:
    """A biography naming the offices held before publication (latest first); and the caption."""
    held = [(s, e, r, d) for s, e, r, d in _government(person) if e < published][-2:]
    invented = (date(2012, 9, 4), date(2015, 5, 7), rng.choice(tuple(TITLES)), rng.choice(tuple(DEPARTMENTS)))
    named = [f"{_office_phrase(r, d)} ({_years(s, e)})" for s, e, r, d in reversed(held)]
    pronoun = rng.choice(("He", "She"))
    earlier = f"{_office_phrase(invented[2], invented[3])} ({_years(invented[0], invented[1])})"
    sentences = ([f"{full} was {' and '.join(named)}.", f"{pronoun} was previously {earlier}."] if named
                 else [f"{full} was {earlier}."])
    party = PARTIES[person.party]
    if person.house == "lords":
        sentences.append(f"{pronoun} is a crossbench peer." if person.party == "crossbench"
                         else f"{pronoun} sits in the House of Lords as a {party} peer.")
    elif person.end >= published:
        sentences.append(f"{pronoun} has been the {party} MP for {rng.choice(SEATS)} since 2015.")
    else:
        sentences.append(f"{pronoun} was the {party} MP for {rng.choice(SEATS)} from 2015 to {person.end.year}.")
    last = held[-1] if held else invented
    return [" ".join(s for s in sentences if s)], f"{full}, former {_office_phrase(last[2], last[3])}"


def _interview(rng: random.Random, person: Person, published: date, number: int,
               truth: list[Composed]) -> Interview:
    full = f"{person.given} {person.family}"
    mine = _initials(full)
    pool = [i for i in INTERVIEWERS if i[1] != mine]
    interviewers = rng.sample(pool, 2 if rng.random() < 0.3 else 1)
    bio, caption = _bio(rng, person, full, published)
    interview_date = published - timedelta(days=rng.randint(25, 80)) if rng.random() < 0.75 else None
    slug = full.lower().replace(" ", "-")
    iv = Interview(slug=slug, name=person.name, full_names={mine: full, **{i: n for n, i in interviewers}},
                   interviewee=mine, published=published, interview_date=interview_date,
                   summary=f"{full} reflects on {rng.choice(('three', 'four', 'five'))} years in government and on "
                           f"working with officials.", caption=caption, bio=bio,
                   new_style_url=published.year >= 2023)
    topics = rng.sample(TOPICS, 3) if number % 3 else []
    n_turns = rng.randint(15, 30)
    for index in range(n_turns):
        asking = index % 2 == 0
        speaker = rng.choice(interviewers)[1] if asking else mine
        count = 1 if asking else rng.choice((1, 1, 2, 2, 3))
        share = QUESTION_RELEVANT if asking else INTERVIEW_RELEVANT
        composed = [_composed(rng, published, share) for _ in range(count)]
        truth.extend(composed)
        turn = SpokenTurn(speaker, [c.text for c in composed])
        if asking and topics and index in (0, n_turns // 3 * 2, n_turns // 3 * 2 + 2):
            turn.heading = topics.pop(0)
        sentence = composed[0].text.split(". ")[0].rstrip(".")
        if not asking and len(sentence.split()) >= 8 and rng.random() < 0.2:
            turn.pull_quote = sentence + "."
        iv.turns.append(turn)
    return iv


def _interviewees(people: list[Person], rng: random.Random) -> list[tuple[date, Person]]:
    used: set[str] = set()
    out = []
    for year, q in quarters():
        start = date(year, 3 * q - 2, 1)
        published = start + timedelta(days=rng.randint(5, 80))
        former = [p for p in people if p.person_id not in used and any(e < published for _, e, _, _ in _government(p))]
        candidates = former or [p for p in people if p.person_id not in used]  # a coalition-era minister
        person = rng.choice(candidates)
        used.add(person.person_id)
        out.append((published, person))
    return out


def write_ministers_reflect(archive: RawArchive, people: list[Person], seed: int) -> list[dict]:
    rng = random.Random(seed + 41)
    truth: list[dict] = []
    interviews: list[Interview] = []
    for number, (published, person) in enumerate(_interviewees(people, rng)):
        composed: list[Composed] = []
        iv = _interview(rng, person, published, number, composed)
        interviews.append(iv)
        archive.record(canonical_url(iv.url), interview_page(iv), fetched_at=_stamp(published + timedelta(days=1)),
                       content_type="text/html; charset=UTF-8", source="ministers_reflect")
        truth.extend(truth_row("ministers_reflect", iv.slug, i, published, c) for i, c in enumerate(composed))
    newest_first = sorted(interviews, key=lambda i: (i.published, i.slug), reverse=True)
    for page in range((len(newest_first) + PER_PAGE - 1) // PER_PAGE):
        archive.record(canonical_url(index_url(page)), index_page(newest_first, page), fetched_at=AS_OF,
                       content_type="text/html; charset=UTF-8", source="ministers_reflect")
    return truth


def write_library(archive: RawArchive, people: list[Person], seed: int) -> list[dict]:
    rng = random.Random(seed + 43)
    truth: list[dict] = []
    rows = []
    for spec in BOOKS:
        composed: list[Composed] = []
        data, sidecar = build_book(spec, people, rng, lambda day: _record(composed, rng, day))
        published = date.fromisoformat(sidecar["published"])
        recorded = _stamp(published)
        side_path = sidecar_name(spec.path)
        side_bytes = json.dumps(sidecar, indent=1, sort_keys=True).encode()
        for path, payload, kind in ((spec.path, data, "application/epub+zip"),
                                    (side_path, side_bytes, "application/json")):
            archive.record(file_url(path), payload, fetched_at=recorded, content_type=kind, source="library")
        rows.append({"path": spec.path, "sha256": _sha(data), "recorded_at": recorded, "sidecar": side_path,
                     "sidecar_sha256": _sha(side_bytes), "sidecar_recorded_at": recorded})
        truth.extend(truth_row("library", spec.path, i, published, c) for i, c in enumerate(composed))
    listing = {"format": LISTING_FORMAT, "books": sorted(rows, key=lambda r: r["path"])}
    archive.record(LIBRARY_URL, listing_bytes(listing), fetched_at=AS_OF, content_type="application/json",
                   source="library")
    return truth


def _record(composed: list[Composed], rng: random.Random, day: date) -> str:
    passage = _composed(rng, day, BOOK_RELEVANT)
    composed.append(passage)
    return passage.text


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def write(archive: RawArchive, people: list[Person], seed: int) -> list[dict]:
    """Record the interviews, their index pages and the library; return the truth rows."""
    return write_ministers_reflect(archive, people, seed) + write_library(archive, people, seed)
