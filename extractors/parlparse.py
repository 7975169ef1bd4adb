"""Hansard through mySociety's ParlParse XML: Commons, Westminster Hall, Lords and written statements.

Discovery reads each directory's `changedates.txt`; only the latest version letter of a day
is kept (older ones are `skipped: superseded`). Parsing handles both eras: 2009-style files
(ISO-8859-1, an internal entity DTD, `speakerid="…/member/N"`) and current ones (UTF-8,
`person_id`). The locator is `file:speech-gid:pid`.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, timezone

from lxml import etree

from extractors.base import ItemRef, RawItem, fetch_url
from extractors.errors import GoneError, ParseError, SkipItem, TransientFetchError
from extractors.http import FetchError, HttpClient
from extractors.members import Members
from extractors.passage import Document, Passage, clean_text, context_before
from extractors.xmlsafe import parse_xml

log = logging.getLogger(__name__)

BASE_URL = "https://www.theyworkforyou.com/pwdata/scrapedxml"
MEMBERS_URL = "https://raw.githubusercontent.com/mysociety/parlparse/master/members"
MEMBERS_FILES = ("people.json", "ministers.json", "ministers-2010.json")


@dataclass(frozen=True)
class Chamber:
    directory: str
    prefix: str
    title: str
    twfy_path: str
    house: str


CHAMBERS = {
    "debates": Chamber("debates", "debates", "House of Commons debate", "debates", "commons"),
    "westminhall": Chamber("westminhall", "westminster", "Westminster Hall debate", "whall", "commons"),
    "lordspages": Chamber("lordspages", "daylord", "House of Lords debate", "lords", "lords"),
    "wms": Chamber("wms", "ministerial", "Written ministerial statements (Commons)", "wms", "commons"),
    "lordswms": Chamber("lordswms", "lordswms", "Written ministerial statements (Lords)", "wms", "lords"),
}
SOURCE_CHAMBERS = {
    "hansard": ("debates", "westminhall", "lordspages"),
    "hansard_wms": ("wms", "lordswms"),
}
SOURCE_TYPES = {"hansard": "debate", "hansard_wms": "speech"}

_FILE = re.compile(r"^(?P<prefix>[a-z]+)(?P<day>\d{4}-\d{2}-\d{2})(?P<version>[a-z]+)\.xml$")
_HEADINGS = {"major-heading", "minor-heading", "oral-heading"}


def split_file_name(file_name: str) -> tuple[Chamber, date, str]:
    """(chamber, sitting date, version letter) from a name such as `debates2023-03-28d.xml`."""
    match = _FILE.match(file_name.rsplit("/", 1)[-1])
    if not match:
        raise ParseError(f"{file_name}: not a ParlParse file name (expected e.g. debates2023-03-28d.xml)")
    for chamber in CHAMBERS.values():
        if chamber.prefix == match["prefix"]:
            return chamber, date.fromisoformat(match["day"]), match["version"]
    raise ParseError(f"{file_name}: unknown ParlParse prefix {match['prefix']!r}")


def chamber_source(chamber: Chamber) -> str:
    return next(s for s, dirs in SOURCE_CHAMBERS.items() if chamber.directory in dirs)


def version_key(version: str) -> str:
    """Version letters sort a < b < … < z < aa; pad so that string order is version order."""
    return version.rjust(3, " ")


def parse_changedates(text: str) -> list[tuple[int, str]]:
    """`unix_time,filename` lines, in file order; malformed lines are an error, not silence."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        stamp, _, name = line.partition(",")
        if not stamp.isdigit() or not name:
            raise ParseError(f"changedates.txt line {number}: expected 'unix_time,filename', got {line!r}")
        rows.append((int(stamp), name.strip()))
    return rows


def cursor_for(stamp: int, name: str) -> str:
    return f"{stamp:012d}:{name}"


def cursor_from_date(day: date) -> str:
    stamp = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
    return cursor_for(stamp, "")


def _text_of(element: etree._Element) -> str:
    return clean_text("".join(element.itertext()))


def gid_redirects(raw: bytes, name: str) -> list[tuple[str, str, str]]:
    """(oldgid, newgid, matchtype) rows of a superseded file."""
    root = parse_xml(raw, name)
    return [(r.get("oldgid", ""), r.get("newgid", ""), r.get("matchtype", ""))
            for r in root.iter("gidredirect")]


def parse_sitting(raw: bytes, file_name: str, members: Members | None = None,
                  source: str | None = None) -> Document:
    """Parse one ParlParse file into a document of paragraph passages (pure)."""
    chamber, day, version = split_file_name(file_name)
    source = source or chamber_source(chamber)
    repairs: list[str] = []
    root = parse_xml(raw, file_name, repairs)
    if root.tag != "publicwhip":
        raise ParseError(f"{file_name}: root element is <{root.tag}>, expected <publicwhip>")
    if root.get("latest") == "no":
        raise SkipItem("superseded", f"{file_name} has latest='no'")
    members = members or Members()
    document_id = f"{source}:{chamber.directory}/{day.isoformat()}"
    passages: list[Passage] = []
    previous: list[str] = []
    heading = ""
    title = ""
    for element in root:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HEADINGS:
            heading = _text_of(element)
            if tag == "major-heading" and not title:
                title = heading
            continue
        if tag != "speech" or element.get("nospeaker") == "true":
            continue
        gid = element.get("id", "")
        speaker_id = element.get("person_id") or element.get("speakerid")
        person = members.person(speaker_id) or (speaker_id if speaker_id and "/person/" in speaker_id else None)
        role, department = members.role_at(person, day)
        party = members.party_at(person, day)
        url = element.get("url") or twfy_url(chamber, gid)
        for p in element.iter("p"):
            if p.get("class") == "italic" or p.get("pwmotiontext") == "yes":
                continue
            text = _text_of(p)
            if not text:
                continue
            passages.append(
                Passage.build(
                    source=source,
                    source_type=SOURCE_TYPES[source],
                    document_id=document_id,
                    locator=f"{file_name.rsplit('/', 1)[-1]}:{gid}:{p.get('pid', '')}",
                    text=text,
                    url=url,
                    date=day,
                    speaker=element.get("speakername") or members.names.get(person or ""),
                    speaker_id=person or speaker_id,
                    role=role,
                    party=party,
                    department=department,
                    context=context_before(previous) or heading,
                )
            )
            previous.append(text)
    if not passages:
        raise SkipItem("procedural", f"{file_name}: no spoken passages (procedural text only)")
    return Document(
        document_id=document_id,
        source=source,
        source_type=SOURCE_TYPES[source],
        item_id=f"{chamber.directory}/{day.isoformat()}",
        version=version_key(version),
        url=f"{BASE_URL}/{chamber.directory}/{file_name.rsplit('/', 1)[-1]}",
        title=f"{chamber.title}, {day:%d %B %Y}" + (f": {title}" if title else ""),
        date=day,
        passages=passages,
        meta={"file": file_name.rsplit("/", 1)[-1], "scraper_version": root.get("scraperversion") or root.get("scrapeversion"),
              **({"encoding_repaired": repairs} if repairs else {})},
    )


def twfy_url(chamber: Chamber, gid: str) -> str | None:
    """A TheyWorkForYou link to the speech, from its gid."""
    if not gid:
        return None
    return f"https://www.theyworkforyou.com/{chamber.twfy_path}/?id={gid.rsplit('/', 1)[-1]}"


class MembersData:
    """The members files, fetched once per run and shared by the ParlParse sources."""

    def __init__(self, members_url: str = MEMBERS_URL) -> None:
        self.members_url = members_url.rstrip("/")
        self.members: Members | None = None
        self.notes: list[str] = []
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:  # picklable (for Dask workers): the lock stays behind
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def get(self, client: HttpClient, source: str) -> Members:
        """Load people and offices, degrading clearly (role `unknown`, party NULL) where absent."""
        with self._lock:
            if self.members is None:
                self.members = self._load(client, source)
            return self.members

    def _load(self, client: HttpClient, source: str) -> Members:
        members = Members()
        missing: list[str] = []
        for name in MEMBERS_FILES:
            try:
                raw = client.get(f"{self.members_url}/{name}", source=source).data
            except (GoneError, TransientFetchError, FetchError) as exc:
                missing.append(f"{name} ({exc})")
                continue
            if name == "people.json":
                members.add_people_json(raw)
            else:
                members.add_ministers_json(raw)
        if missing:
            consequence = []
            if not members.party_spans:
                consequence.append("party is NULL")
            if members.offices_cover is None:
                consequence.append("role is 'unknown'")
            else:
                consequence.append(f"offices known for {members.offices_cover[0]} to {members.offices_cover[1]}")
            note = f"members data unavailable: {'; '.join(missing)}. " + (", ".join(consequence) or "")
            self.notes.append(note.strip())
            log.warning(self.notes[-1])
        return members


class ParlParseExtractor:
    """The `hansard` or `hansard_wms` source."""

    def __init__(self, source: str = "hansard", base_url: str = BASE_URL,
                 members: MembersData | None = None) -> None:
        if source not in SOURCE_CHAMBERS:
            raise ValueError(f"ParlParse serves {sorted(SOURCE_CHAMBERS)}, not {source!r}")
        self.source = source
        self.base_url = base_url.rstrip("/")
        self.members_data = members or MembersData()
        self._members: Members | None = None
        self._client: HttpClient | None = None

    @property
    def notes(self) -> list[str]:
        return self.members_data.notes

    @property
    def members(self) -> Members | None:
        """The members data, loaded on the first parse (a night with nothing new never reads it)."""
        if self._members is None and self._client is not None:
            self._members = self.members_data.get(self._client, self.source)
        return self._members

    @members.setter
    def members(self, value: Members | None) -> None:
        self._members = value

    def __getstate__(self) -> dict:  # picklable (for Dask workers): the client stays behind
        return {**self.__dict__, "_client": None}

    def cursor_from_date(self, day: date) -> str:
        return cursor_from_date(day)

    def discover(self, client: HttpClient, since: str | None) -> list[ItemRef]:
        self._client = client  # members data are read on the first parse, not here
        refs: list[ItemRef] = []
        for directory in SOURCE_CHAMBERS[self.source]:
            chamber = CHAMBERS[directory]
            url = f"{self.base_url}/{directory}/changedates.txt"
            try:
                listing = client.get(url, source=self.source, conditional=False).data
            except GoneError:
                continue  # a chamber with no listing yet
            rows = parse_changedates(listing.decode("utf-8", errors="replace"))
            latest: dict[date, str] = {}
            for _, name in rows:
                _, day, version = split_file_name(name)
                if version_key(version) > version_key(latest.get(day, "")):
                    latest[day] = version
            seen: dict[str, ItemRef] = {}
            for stamp, name in rows:
                cursor = cursor_for(stamp, name)
                if since and cursor <= since:
                    continue
                _, day, version = split_file_name(name)
                skip = "superseded" if version != latest[day] else None
                seen[name] = ItemRef(
                    source=self.source,
                    item_id=f"{directory}/{name}",
                    url=f"{self.base_url}/{directory}/{name}",
                    cursor=cursor,
                    version=version_key(version),
                    skip_reason=skip,
                    meta={"document_id": f"{self.source}:{directory}/{day.isoformat()}"},
                )
            refs.extend(seen.values())
        return sorted(refs, key=lambda r: r.cursor)

    def fetch(self, client: HttpClient, ref: ItemRef) -> RawItem:
        if self._client is None:  # where the members data come from, if not loaded yet
            self._client = client
        return fetch_url(client, ref)

    def prepare(self, client: HttpClient, raw: RawItem) -> None:
        """Outside a discovery (a quarantine retry): load the members data parsing needs."""
        if self.members is None:
            self.members = self.members_data.get(client, self.source)

    def parse(self, raw: RawItem) -> Document:
        return parse_sitting(raw.data, raw.ref.url.rsplit("/", 1)[-1], self.members, self.source)
