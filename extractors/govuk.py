"""GOV.UK speeches: ministers' speeches, oral and written statements to Parliament, authored articles.

Discovery asks the Search API for the four speech document types, newest first, paged inside
monthly `filter_public_timestamp` windows from the watermark's month up to the month of the
newest item. That upper bound is read from the source itself (the first page of the same query
without a window, whose first result is the newest item), so no clock is read: live it is today's
newest item, in replay the newest item the archive's listing holds. With no watermark the lower
bound is the month of the oldest item (the last result of the unwindowed query).

The cursor is `public_timestamp` (the last public update, UTC) + `|` + link, so an updated item
comes round again; its document id is `govuk:<content_id>` and its version `public_updated_at`,
so the newer text replaces the older and a stale copy never replaces a newer one.

Fetching reads the Content API (`/api/content<link>`). Parsing is pure: the passage units of
`details.body` (see govuk_body), dated by `details.delivered_on` as a London date, with the
speaker from `links.speaker` (or `details.speaker_without_profile`), the role from `links.roles`
or else from the people's role appointments, read at discovery (see govuk_roles). Party is not
on GOV.UK and stays NULL. Translations, withdrawn items and redirected or gone items are skipped.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date
from urllib.parse import urlencode

from pydantic import ValidationError

from extractors.base import ItemRef, RawItem, fetch_url
from extractors.errors import GoneError, ParseError, SkipItem, TransientFetchError
from extractors.govuk_body import body_units
from extractors.govuk_models import (SPEECH_DOCUMENT_TYPES, ContentItem, Link, SearchResponse, SearchResult,
                                     SpeechDetails, london_date, utc_stamp)
from extractors.govuk_roles import RoleBook, person_name, speaker_role
from extractors.http import FetchError, HttpClient
from extractors.passage import Document, Passage, context_before

log = logging.getLogger(__name__)

SOURCE = "govuk"
SOURCE_TYPE = "speech"
BASE_URL = "https://www.gov.uk"
SEARCH_PATH = "/api/search.json"
CONTENT_PREFIX = "/api/content"
PAGE_SIZE = 100
SEARCH_FIELDS = ("link", "title", "description", "public_timestamp", "content_store_document_type", "people",
                 "roles", "organisations", "government_name", "is_historic", "is_political", "content_id")
_TRANSLATION = re.compile(r"\.([a-z]{2,3}(-[a-z0-9]{2,4})?)$")
_GONE_SCHEMAS = {"gone", "vanish"}


# -- discovery ------------------------------------------------------------------------------------

def search_url(start: int, window: tuple[date, date] | None = None, *, base_url: str = BASE_URL,
               count: int = PAGE_SIZE) -> str:
    """The project's Search API query (SOURCES-SPEC 1a), optionally inside a date window."""
    params = [("filter_content_store_document_type", t) for t in SPEECH_DOCUMENT_TYPES]
    params += [("order", "-public_timestamp"), ("count", str(count)), ("start", str(start)),
               ("fields", ",".join(SEARCH_FIELDS))]
    if window:
        params.append(("filter_public_timestamp", f"from:{window[0].isoformat()},to:{window[1].isoformat()}"))
    return f"{base_url}{SEARCH_PATH}?{urlencode(params)}"


def month_windows(first: date, last: date) -> list[tuple[date, date]]:
    """(first day, last day) of every month from `first`'s month to `last`'s, oldest first."""
    windows = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = date(year + (month == 12), month % 12 + 1, 1)
        windows.append((date(year, month, 1), date.fromordinal(following.toordinal() - 1)))
        year, month = following.year, following.month
    return windows


def cursor_of(result: SearchResult) -> str:
    return f"{utc_stamp(result.public_timestamp or '')}|{result.link}"


def dedupe_key(result: SearchResult) -> str:
    """One entry per document and language: content_id (a renamed slug keeps it), else the link.
    A translation shares its original's content_id, so its locale suffix keeps it apart."""
    suffix = _TRANSLATION.search(result.link)
    return f"{result.content_id or result.link}{'.' + suffix.group(1) if suffix else ''}"


def parse_search(raw: bytes, url: str) -> SearchResponse:
    try:
        return SearchResponse.model_validate_json(raw.removeprefix(b"\xef\xbb\xbf"))
    except ValidationError as exc:
        raise ParseError(f"{url}: not a Search API response ({exc.error_count()} errors: "
                         f"{exc.errors()[0]['msg']})") from exc


# -- parsing --------------------------------------------------------------------------------------

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _no_lone_surrogates(value: object) -> object:
    """JSON may escape half a surrogate pair, which no UTF-8 encoder (lxml, DuckDB) accepts."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_no_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {k: _no_lone_surrogates(v) for k, v in value.items()}
    return value


def _json(raw: bytes) -> tuple[object, str | None]:
    """The JSON value, and a note when the bytes were Windows-1252 rather than UTF-8 (repaired)."""
    try:
        value, note = json.loads(raw), None
    except UnicodeDecodeError:
        value, note = json.loads(raw.decode("cp1252", errors="replace")), "not UTF-8: decoded as Windows-1252"
    return (_no_lone_surrogates(value) if _SURROGATE_ESCAPE.search(raw) else value), note


def _load(raw: bytes, name: str) -> tuple[ContentItem, str | None]:
    try:
        value, note = _json(raw)
        return ContentItem.model_validate(value), note
    except (ValueError, ValidationError) as exc:
        raise ParseError(f"{name}: not a Content API item ({str(exc).splitlines()[0]})") from exc


def _department(item: ContentItem) -> str | None:
    for link_type in ("primary_publishing_organisation", "organisations"):
        for organisation in item.linked(link_type):
            if organisation.title:
                return organisation.title
    return None


def _speech_date(item: ContentItem, details: SpeechDetails) -> tuple[date, str]:
    for field, value in (("delivered_on", details.delivered_on), ("first_public_at", details.first_public_at),
                         ("first_published_at", item.first_published_at),
                         ("public_updated_at", item.public_updated_at)):
        if value:
            try:
                return london_date(value), field
            except ValueError as exc:
                raise ParseError(f"{item.base_path}: {field} {value!r} is not a timestamp") from exc
    raise ParseError(f"{item.base_path}: no details.delivered_on (nor any publication date)")


def check_speech(item: ContentItem, name: str) -> None:
    """Raise SkipItem or ParseError for anything that is not a current English speech item."""
    if item.schema_name in _GONE_SCHEMAS or item.document_type in _GONE_SCHEMAS:
        raise SkipItem("gone", f"{name}: unpublished ({item.schema_name or item.document_type})")
    if item.schema_name == "redirect" or item.document_type == "redirect":
        target = next((r.destination for r in item.redirects if r.destination), "elsewhere")
        raise SkipItem("gone", f"{name}: redirected to {target}")
    if item.schema_name != "speech":
        raise ParseError(f"{name}: schema {item.schema_name or '(none)'!r} is not the speech schema")
    if item.locale != "en":
        raise SkipItem("translation", f"{name}: locale {item.locale!r}")
    if item.withdrawn_notice is not None and item.withdrawn_notice.is_withdrawn:
        raise SkipItem("withdrawn", f"{name}: withdrawn {item.withdrawn_notice.withdrawn_at or ''}".strip())
    if item.document_type not in SPEECH_DOCUMENT_TYPES:
        raise SkipItem("out_of_scope", f"{name}: document type {item.document_type!r}")
    if not item.content_id or not item.base_path:
        raise ParseError(f"{name}: a speech item without content_id or base_path")


def parse_content(raw: bytes, name: str = "", roles: RoleBook | None = None) -> Document:
    """Parse one Content API speech item into a document of passages (pure)."""
    item, encoding_note = _load(raw, name or "content item")
    name = name or item.base_path or "content item"
    check_speech(item, name)
    try:
        details = SpeechDetails.model_validate(item.details)
    except ValidationError as exc:
        raise ParseError(f"{name}: malformed speech details ({str(exc).splitlines()[0]})") from exc
    day, date_source = _speech_date(item, details)
    speakers = item.linked("speaker")
    speaker_link: Link | None = speakers[0] if speakers else None
    if speaker_link is None and not details.speaker_without_profile and len(item.linked("people")) == 1:
        speaker_link = item.linked("people")[0]
    role = speaker_role(speaker_link, item.linked("roles"), day, roles) if speaker_link else None
    if speaker_link is not None:
        speaker, speaker_id = person_name(speaker_link.title), f"govuk:person/{speaker_link.content_id}"
    else:
        speaker, speaker_id = (details.speaker_without_profile or "").strip() or None, None
    page = f"{BASE_URL}{item.base_path}"
    document_id = f"{SOURCE}:{item.content_id}"
    department = _department(item)
    passages: list[Passage] = []
    previous: list[str] = []
    for unit in body_units(details.body):
        passages.append(Passage.build(
            source=SOURCE, source_type=SOURCE_TYPE, document_id=document_id,
            locator=f"{item.content_id}:{unit.index}" + (f"#{unit.anchor}" if unit.anchor else ""),
            text=unit.text, url=page + (f"#{unit.anchor}" if unit.anchor else ""), date=day,
            speaker=speaker, speaker_id=speaker_id, role=role.kind if role else "unknown", party=None,
            department=department, context=context_before(previous) or unit.heading,
        ))
        previous.append(unit.text)
    if not passages:
        raise ParseError(f"{name}: details.body holds no paragraphs")
    updated = item.public_updated_at or item.updated_at or ""
    try:
        version = utc_stamp(updated) if updated else ""
    except ValueError as exc:
        raise ParseError(f"{name}: public_updated_at {updated!r} is not a timestamp") from exc
    return Document(
        document_id=document_id, source=SOURCE, source_type=SOURCE_TYPE, item_id=item.base_path,
        version=version, url=page, title=item.title, date=day,
        passages=passages,
        meta={
            "content_id": item.content_id, "base_path": item.base_path, "document_type": item.document_type,
            "locale": item.locale, "speech_type_explanation": details.speech_type_explanation,
            "location": details.location, "delivered_on": details.delivered_on, "date_source": date_source,
            "public_updated_at": item.public_updated_at, "first_published_at": item.first_published_at,
            "speaker_title": speaker_link.title if speaker_link else None,
            "speaker_without_profile": details.speaker_without_profile,
            "role_title": role.title if role else None, "role_source": role.source if role else None,
            "organisations": [o.title for o in item.linked("organisations")],
            "political": details.political, "change_notes": len(details.change_history),
            **({"encoding_repaired": encoding_note} if encoding_note else {}),
        },
    )


# -- the source -----------------------------------------------------------------------------------

class GovukExtractor:
    """The `govuk` source."""

    source = SOURCE

    def __init__(self, base_url: str = BASE_URL, page_size: int = PAGE_SIZE, roles: RoleBook | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.roles = roles if roles is not None else RoleBook()
        self.notes: list[str] = []
        self._people_read: set[str] = set()

    def cursor_from_date(self, day: date) -> str:
        return f"{day.isoformat()}T00:00:00Z"

    def _page(self, client: HttpClient, start: int, window: tuple[date, date] | None = None) -> SearchResponse:
        url = search_url(start, window, base_url=self.base_url, count=self.page_size)
        return parse_search(client.get(url, source=self.source, conditional=False).data, url)

    def _window(self, client: HttpClient, window: tuple[date, date]) -> list[SearchResult]:
        results: list[SearchResult] = []
        start = 0
        while True:
            page = self._page(client, start, window)
            results.extend(page.results)
            start += self.page_size
            if not page.results or start >= page.total:
                return results

    def discover(self, client: HttpClient, since: str | None) -> list[ItemRef]:
        """Items published or updated after `since`, one per document and language, oldest first."""
        head = self._page(client, 0)
        stamped = [r for r in head.results if r.public_timestamp]
        if not stamped:
            return []
        newest = date.fromisoformat(utc_stamp(stamped[0].public_timestamp)[:10])
        if since:
            first = date.fromisoformat(since[:10])
        else:
            tail = self._page(client, max(head.total - 1, 0)).results
            oldest = [r for r in tail if r.public_timestamp] or stamped
            first = date.fromisoformat(utc_stamp(oldest[-1].public_timestamp)[:10])
        chosen: dict[str, tuple[str, SearchResult]] = {}
        for window in month_windows(first, newest):
            for result in self._window(client, window):
                if not result.link.startswith("/") or not result.public_timestamp:
                    continue  # an external link, or a result without the field the cursor needs
                cursor = cursor_of(result)
                if since and cursor <= since:
                    continue
                key = dedupe_key(result)
                if key not in chosen or cursor > chosen[key][0]:
                    chosen[key] = (cursor, result)
        self._read_people(client, {p for _, r in chosen.values() for p in r.person_paths()})
        refs = [ItemRef(self.source, r.link, f"{self.base_url}{CONTENT_PREFIX}{r.link}", cursor,
                        version=cursor.split("|", 1)[0],
                        meta={"content_id": r.content_id, "document_type": r.content_store_document_type})
                for cursor, r in chosen.values()]
        return sorted(refs, key=lambda ref: ref.cursor)

    def _read_people(self, client: HttpClient, paths: set[str]) -> None:
        """Read each person's page once per extractor: their role appointments, for roles at date."""
        missing = []
        for path in sorted(paths - self._people_read):
            url = f"{self.base_url}{CONTENT_PREFIX}{path}"
            try:
                self.roles.add_content_item(client.get(url, source=self.source).data)
            except (GoneError, TransientFetchError, FetchError, ParseError, ValueError) as exc:
                missing.append(f"{path} ({type(exc).__name__})")
                continue
            self._people_read.add(path)
        if missing:
            self.notes.append(f"govuk: {len(missing)} person pages unavailable, so roles there come only from "
                              f"the speeches' own links (else 'unknown'): {', '.join(missing[:5])}"
                              + (" ..." if len(missing) > 5 else ""))
            log.warning(self.notes[-1])

    def fetch(self, client: HttpClient, ref: ItemRef) -> RawItem:
        return fetch_url(client, ref)

    def prepare(self, client: HttpClient, raw: RawItem) -> None:
        """Outside a discovery (a quarantine retry): read the person pages the item links to."""
        try:
            item, _ = _load(raw.data, raw.ref.item_id)
        except ParseError:
            return  # the parse will say what is wrong
        paths = {link.base_path for kind in ("speaker", "people") for link in item.linked(kind)
                 if link.base_path and link.base_path.startswith("/")}
        self._read_people(client, paths)

    def parse(self, raw: RawItem) -> Document:
        return parse_content(raw.data, raw.ref.item_id, self.roles)
