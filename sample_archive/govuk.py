"""Invented GOV.UK speeches, statements to Parliament and articles for the sample archive.

About four items a quarter from 2016-Q1 to 2026-Q3, each 8-12 paragraphs of which about half are
about the civil service (the frames move as schedule.py documents), given by invented ministers
in the office they held that day. They are recorded as the live sources would serve them:

- each item at its Content API URL, fetched the night after its month's listing;
- the Search API query of the extractor in monthly `filter_public_timestamp` windows (every month,
  empty ones too), each recorded after its month ended, plus the unwindowed first and last pages
  (the newest and the oldest item) as they stood when the archive was made (AS_OF);
- each speaker's person page with their role appointments (for items without `links.roles`).

Also one Welsh translation (`locale: cy`), one withdrawn statement, one item unpublished after it
was listed (the Content API answers 410 `gone`), and one updated speech: its first version is
listed in its month and fetched then; its second, with a corrected paragraph and one more, is
listed and fetched in a later month. Truth rows describe the second version, the one that loads.
"""

from __future__ import annotations

import html
import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from extractors.archive import RawArchive
from extractors.govuk import BASE_URL, CONTENT_PREFIX, month_windows, search_url
from extractors.http import canonical_url
from sample_archive.compose import AS_OF, SLOTS, Composed, compose_irrelevant, compose_relevant, truth_row
from sample_archive.govuk_render import (SampleItem, gone_item, london, person_page, search_page, slug, stable_id,
                                         to_json, utc_millis)
from sample_archive.people import Person
from sample_archive.schedule import RELEVANT_SHARE, frame_shares, quarters

SOURCE = "govuk"
PER_QUARTER = (3, 4, 4, 5)
KINDS = ("speech",) * 5 + ("oral_statement",) * 2 + ("written_statement",) * 2 + ("authored_article",)
SPEECH_TYPES = ("Original script, may differ from delivered version",
                "Transcript of the speech, exactly as it was delivered",
                "Speaker's notes, may differ from delivered version")
EVENTS = ("Regional Growth Summit", "Public Service Leaders' Conference", "Local Government Forum",
          "Annual Skills Dinner", "Policy Lecture", "Delivery Unit Conference")
PAPERS = ("Courier", "Evening Post", "Chronicle", "Gazette")
HEADINGS = ("Where we are", "Our plan", "Working with officials", "Making it happen", "What comes next",
            "Conclusion")
# The quarters of the special items: (year, quarter) -> (what, forced document type)
SPECIALS = {(2018, 3): ("withdrawn", "written_statement"), (2019, 2): ("translated", "speech"),
            (2020, 1): ("updated", "speech"), (2021, 1): ("gone", "speech")}
WELSH = ("Diolch yn fawr am y croeso heddiw.", "Mae'r cynllun hwn yn bwysig i bob cymuned.",
         "Byddwn yn gweithio gyda'n gilydd i'w gyflawni.")


def _passage(rng: random.Random, day: date) -> Composed:
    if rng.random() < RELEVANT_SHARE:
        return compose_relevant(rng, frame_shares(day.year, (day.month - 1) // 3 + 1))
    return compose_irrelevant(rng)


def render_body(rng: random.Random, texts: list[str]) -> str:
    """Govspeak HTML whose passage units, in document order, are exactly `texts`: paragraphs,
    now and then a list (each item a unit) or a quotation, under a few `h2` sections."""
    n = len(texts)
    list_at = rng.randrange(1, n - 2) if n > 4 and rng.random() < 0.3 else -1
    list_len = rng.choice((2, 3)) if list_at >= 0 else 0
    in_list = set(range(list_at + 1, list_at + list_len))
    quote_at = rng.choice([i for i in range(1, n) if i not in in_list and i != list_at]) if rng.random() < 0.25 else -1
    free = [i for i in range(1, n) if i not in in_list]
    heads = sorted(rng.sample(free, min(len(free), rng.choice((0, 2, 3)))))
    titles = dict(zip(heads, rng.sample(HEADINGS, len(heads))))
    lines = ['<div class="govspeak">']
    i = 0
    while i < n:
        if i in titles:
            lines.append(f'<h2 id="{slug(titles[i])}">{html.escape(titles[i])}</h2>\n')
        if i == list_at:
            lines.append("<ul>")
            lines.extend(f"  <li>{html.escape(t, quote=False)}</li>" for t in texts[i:i + list_len])
            lines.append("</ul>\n")
            i += list_len
            continue
        text = html.escape(texts[i], quote=False)
        lines.append(f'<blockquote>\n  <p class="last-child">{text}</p>\n</blockquote>\n' if i == quote_at
                     else f"<p>{text}</p>\n")
        i += 1
    lines.append("</div>")
    return "\n".join(lines)


def _day(rng: random.Random, year: int, q: int) -> date:
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=4)  # published within the quarter
    days = [start + timedelta(d) for d in range((end - start).days + 1) if (start + timedelta(d)).weekday() < 5]
    return rng.choice(days)


def _item(rng: random.Random, people: list[Person], year: int, q: int, kind: str,
          used: set[str]) -> tuple[SampleItem, list[Composed]]:
    day = _day(rng, year, q)
    ministers = [p for p in people if p.sitting(day) and p.office_at(day)
                 and not p.office_at(day)[0].startswith("Shadow")]
    speaker = rng.choice(ministers)
    office = speaker.office_at(day)
    place, policy = rng.choice(SLOTS["place"]), rng.choice(SLOTS["policy"])
    house = "House of Lords" if speaker.house == "lords" else "House of Commons"
    title, location, explanation, at = {
        "speech": (f"{speaker.name} speech at the {place} {rng.choice(EVENTS)}", place, rng.choice(SPEECH_TYPES),
                   time(0, 0)),
        "oral_statement": (f"Oral statement on {policy}", house, None, time(12, 30)),
        "written_statement": (f"Written ministerial statement on {policy}", house, None, time(9, 30)),
        "authored_article": (f"{speaker.name} writes on {policy}", None, None, time(0, 0)),
    }[kind]
    path = f"/government/speeches/{slug(title)}"
    while path in used:
        path += "-2"
    used.add(path)
    composed = [_passage(rng, day) for _ in range(rng.randint(8, 12))]
    published = london(day + timedelta(days=rng.choice((0, 0, 1))), time(14, 5))
    description = {"authored_article": f"{speaker.name} wrote for the {place} {rng.choice(PAPERS)} on {policy}.",
                   }.get(kind, f"{speaker.name} on {policy}.")
    item = SampleItem(path, stable_id("speech", path), kind, title, description, day, london(day, at), published,
                      published, render_body(rng, [c.text for c in composed]), speaker, office,
                      with_roles=rng.random() < 0.75, location=location, speech_type_explanation=explanation,
                      change_notes=[(published, "First published.")])
    return item, composed


def plan_items(people: list[Person], seed: int) -> list[tuple[SampleItem, list[Composed], str | None]]:
    """Every item version in publication order: (item, its passages, special kind or None)."""
    rng = random.Random(seed * 31 + 7)
    used: set[str] = set()
    planned: list[tuple[SampleItem, list[Composed], str | None]] = []
    for year, q in quarters():
        special, forced = SPECIALS.get((year, q), (None, None))
        for k in range(rng.choice(PER_QUARTER)):
            kind = forced if (special and k == 0) else rng.choice(KINDS)
            item, composed = _item(rng, people, year, q, kind, used)
            what = special if k == 0 else None
            if what == "withdrawn":
                item.withdrawn_at = utc_millis(london(item.day + timedelta(days=150), time(11, 0)))
            if what == "translated":
                item.translations = ["en", "cy"]
                welsh = replace(item, base_path=item.base_path + ".cy", locale="cy", title="Araith y Gweinidog",
                                description="Araith wedi'i chyfieithu.",
                                body=render_body(rng, list(WELSH)), translations=["en", "cy"])
                planned.append((welsh, [], "translation"))
            if what == "updated":
                planned.append((item, composed, "first version"))
                composed = list(composed)
                fix = rng.randrange(len(composed))
                composed[fix] = _passage(rng, item.day)
                composed.append(_passage(rng, item.day))
                updated = london(item.day + timedelta(days=40), time(10, 15))
                item = replace(item, public_updated=updated, body=render_body(rng, [c.text for c in composed]),
                               change_notes=[(updated, "Corrected one paragraph and added another."),
                                             *item.change_notes])
            planned.append((item, composed, what))
    return planned


def _month(moment: str) -> tuple[int, int]:
    value = datetime.fromisoformat(moment).astimezone(timezone.utc)
    return value.year, value.month


def _after_month(year: int, month: int) -> str:
    """When a month's listing was fetched: 02:00 UTC on the first of the next month (or AS_OF)."""
    following = datetime(year + (month == 12), month % 12 + 1, 1, 2, tzinfo=timezone.utc).isoformat()
    return min(following, AS_OF)


def write(archive: RawArchive, people: list[Person], seed: int) -> list[dict]:
    """Record the items, their listings and the speakers' person pages; return the truth rows."""
    planned = plan_items(people, seed)
    by_month: dict[tuple[int, int], list[SampleItem]] = {}
    for item, _, _ in planned:
        by_month.setdefault(_month(item.public_updated), []).append(item)
    first, last = min(by_month), max(by_month)
    for start, _ in month_windows(date(*first, 1), date(*last, 1)):
        items = sorted(by_month.get((start.year, start.month), []), key=lambda i: i.public_updated, reverse=True)
        url = search_url(0, month_windows(start, start)[0])
        archive.record(canonical_url(url), search_page([i.search_result() for i in items], len(items), 0),
                       fetched_at=_after_month(start.year, start.month), content_type="application/json",
                       source=SOURCE)
    current: dict[str, SampleItem] = {}
    truth: list[dict] = []
    for item, composed, what in planned:
        url = canonical_url(f"{BASE_URL}{CONTENT_PREFIX}{item.base_path}")
        fetched = AS_OF if what == "withdrawn" else _after_month(*_month(item.public_updated))
        if what == "gone":
            archive.record(url, gone_item(item.base_path), status=410, fetched_at=fetched,
                           content_type="application/json", source=SOURCE)
            continue
        archive.record(url, to_json(item.content()), fetched_at=fetched, content_type="application/json",
                       source=SOURCE)
        current[item.base_path] = item
        if what not in ("withdrawn", "translation", "first version"):
            truth.extend(truth_row(SOURCE, item.base_path, index, item.day, c) for index, c in enumerate(composed))
    newest_first = sorted(current.values(), key=lambda i: i.public_updated, reverse=True)
    total = len(newest_first)
    for start in (0, total - 1):  # the newest item bounds discovery above, the oldest below
        page = newest_first[start:start + 100]
        archive.record(canonical_url(search_url(start)), search_page([i.search_result() for i in page], total, start),
                       fetched_at=AS_OF, content_type="application/json", source=SOURCE)
    for person in sorted({i.speaker.person_id: i.speaker for i in current.values()}.values(),
                         key=lambda p: p.person_id):
        path = f"/government/people/{person_page(person)['base_path'].rsplit('/', 1)[-1]}"
        archive.record(canonical_url(f"{BASE_URL}{CONTENT_PREFIX}{path}"), to_json(person_page(person)),
                       fetched_at=AS_OF, content_type="application/json", source=SOURCE)
    return truth
