"""Invented Hansard sittings for the sample archive: Commons, Westminster Hall, Lords, WMS."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from extractors.archive import RawArchive
from extractors.http import canonical_url
from extractors.parlparse import BASE_URL, MEMBERS_URL
from sample_archive.compose import AS_OF, Composed, compose_irrelevant, compose_relevant, truth_row
from sample_archive.parlparse_writer import Debate, Speech, file_name, render_sitting, render_superseded
from sample_archive.people import Person, ministers_json, people_json
from sample_archive.schedule import RELEVANT_SHARE, frame_shares, quarters

RELEVANT_HEADINGS = ("Civil Service Reform", "Government Effectiveness", "Machinery of Government",
                     "Cabinet Office Questions", "Whitehall Capability", "Public Service Delivery",
                     "Civil Service: Ministerial Relations", "Policy Making in Government")
ORDINARY_HEADINGS = ("Rural Bus Services", "Flood Defences", "Prison Capacity", "School Transport",
                     "Hospital Waiting Lists", "Coastal Erosion", "Broadband Roll-out", "Apprenticeships",
                     "Road Maintenance", "Local Museums", "Fisheries", "Energy Bills", "Court Backlogs",
                     "Armed Forces Housing", "High Street Regeneration", "Water Quality")
# Sittings per quarter, by directory: (count, passages per sitting)
PLAN = {"debates": (6, 16), "westminhall": (2, 12), "lordspages": (2, 12), "wms": (1, 3), "lordswms": (1, 3)}
SUPERSEDED_EVERY = 9  # every ninth Commons sitting is re-issued as version b


@dataclass
class SittingFile:
    directory: str
    day: date
    version: str
    data: bytes
    changed_at: int  # unix time, as changedates.txt records it
    truth: list[tuple[str, Composed]]  # (speech gid, composed passage)


def _sitting_days(year: int, q: int, n: int, weekday: int, rng: random.Random) -> list[date]:
    start = date(year, 3 * q - 2, 1)
    days = [start + timedelta(days=i) for i in range(90) if (start + timedelta(days=i)).weekday() == weekday
            and (start + timedelta(days=i)).month in (3 * q - 2, 3 * q - 1, 3 * q)]
    days = [d for d in days if not (d.month == 8)]  # summer recess
    return sorted(rng.sample(days, min(n, len(days))))


def _changed_at(day: date, delay_days: int = 1) -> int:
    moment = datetime.combine(day + timedelta(days=delay_days), time(2, 30), tzinfo=timezone.utc)
    return int(moment.timestamp())


def _speakers(people: list[Person], day: date, house: str) -> list[Person]:
    return [p for p in people if p.house == house and p.sitting(day)]


def _passage(rng: random.Random, day: date, relevant_share: float) -> Composed:
    year, q = day.year, (day.month - 1) // 3 + 1
    if rng.random() < relevant_share:
        return compose_relevant(rng, frame_shares(year, q))
    return compose_irrelevant(rng)


def _debate(rng: random.Random, day: date, pool: list[Person], n: int, relevant: bool,
            wms: bool = False) -> tuple[Debate, list[Composed]]:
    heading = rng.choice(RELEVANT_HEADINGS if relevant else ORDINARY_HEADINGS)
    share = min(0.95, 2 * RELEVANT_SHARE * 0.85) if relevant else 0.15
    debate = Debate(heading.upper() if wms else heading, None if wms else rng.choice((None, "Motion")))
    composed: list[Composed] = []
    ministers = [p for p in pool if p.office_at(day) and "Shadow" not in p.office_at(day)[0]]
    for i in range(n):
        if wms:
            speaker = rng.choice(ministers or pool)
            kind = "Start Statement" if i == 0 else "Continuation Statement"
        else:
            speaker = rng.choice(ministers) if (i % 3 == 1 and ministers) else rng.choice(pool)
            kind = rng.choice(("Start Speech", "Start Question", "Start Answer", "Start Intervention"))
        passage = _passage(rng, day, share)
        debate.speeches.append(Speech(speaker, kind, [passage.text]))
        composed.append(passage)
    if not wms and rng.random() < 0.3:  # procedural text the extractor must drop
        debate.speeches.append(Speech(None, "", ["Question put and agreed to."], italic=True))
        debate.division = rng.random() < 0.5
    return debate, composed


def build_sittings(people: list[Person], seed: int) -> list[SittingFile]:
    """Every sitting of 2016-Q1 to 2026-Q3, with the labels each passage was written to carry."""
    rng = random.Random(seed)
    files: list[SittingFile] = []
    column = 100
    commons_count = 0
    for year, q in quarters():
        for directory, (count, per_sitting) in PLAN.items():
            weekday = {"debates": 1, "westminhall": 3, "lordspages": 2, "wms": 0, "lordswms": 0}[directory]
            house = "lords" if directory in ("lordspages", "lordswms") else "commons"
            for day in _sitting_days(year, q, count, weekday, rng):
                pool = _speakers(people, day, house)
                debates: list[Debate] = []
                truth_passages: list[Composed] = []
                if directory in ("wms", "lordswms"):
                    debate, composed = _debate(rng, day, pool, per_sitting, rng.random() < 0.3, wms=True)
                    debates.append(debate)
                    truth_passages.extend(composed)
                else:
                    half = per_sitting // 2
                    for relevant in (True, False):
                        debate, composed = _debate(rng, day, pool, half, relevant)
                        debates.append(debate)
                        truth_passages.extend(composed)
                version = "a"
                data = render_sitting(directory, day, version, debates, column)
                column += 12
                truth = [(str(i), c) for i, c in enumerate(truth_passages)]
                if directory == "debates":
                    commons_count += 1
                    if commons_count % SUPERSEDED_EVERY == 0:
                        # re-issued: a becomes a redirect file, b carries the corrected text
                        debates[0].speeches[0].paragraphs[0] += " (Corrected.)"
                        b = render_sitting(directory, day, "b", debates, column - 12)
                        gids = [line.split('id="', 1)[1].split('"', 1)[0] for line in b.decode().splitlines()
                                if line.strip().startswith("<speech")]
                        files.append(SittingFile(directory, day, "a",
                                                 render_superseded(directory, day, "a", "b", gids),
                                                 _changed_at(day, 1), []))
                        files.append(SittingFile(directory, day, "b", b, _changed_at(day, 4), truth))
                        continue
                files.append(SittingFile(directory, day, version, data, _changed_at(day), truth))
    return files


def changedates(files: list[SittingFile], directory: str) -> bytes:
    rows = sorted((f.changed_at, file_name(f.directory, f.day, f.version)) for f in files
                  if f.directory == directory)
    return "".join(f"{stamp},{name}\n" for stamp, name in rows).encode()


def _iso(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, tz=timezone.utc).isoformat()


def write(archive: RawArchive, people: list[Person], seed: int) -> list[dict]:
    """Record every sitting, the changedates listings and the members files; return the truth."""
    members = {"people.json": people_json(people), "ministers-2010.json": ministers_json(people),
               # the pre-2010 offices file: nobody invented here held office before 2010
               "ministers.json": b'{"memberships": [], "organizations": []}'}
    for name, data in members.items():
        archive.record(canonical_url(f"{MEMBERS_URL}/{name}"), data, fetched_at=AS_OF,
                       content_type="application/json", source="hansard")
    sittings = build_sittings(people, seed)
    truth: list[dict] = []
    for sitting in sittings:
        name = file_name(sitting.directory, sitting.day, sitting.version)
        source = "hansard_wms" if sitting.directory in ("wms", "lordswms") else "hansard"
        archive.record(canonical_url(f"{BASE_URL}/{sitting.directory}/{name}"), sitting.data,
                       fetched_at=_iso(sitting.changed_at), content_type="text/xml", source=source)
        for index, (_, composed) in enumerate(sitting.truth):
            truth.append(truth_row(source, f"{sitting.directory}/{name}", index, sitting.day, composed))
    for directory in PLAN:
        source = "hansard_wms" if directory in ("wms", "lordswms") else "hansard"
        archive.record(canonical_url(f"{BASE_URL}/{directory}/changedates.txt"),
                       changedates(sittings, directory), fetched_at=AS_OF,
                       content_type="text/plain", source=source)
    return truth
