"""Select-committee oral evidence through the Committees API (SOURCES-SPEC 3a, 3a.1, 3b).

Discovery pages `/api/OralEvidence?StartDate=…&Skip=N&Take=30` while `Skip < totalResults`.
`StartDate` is the first day of the watermark's month (omitted with no watermark): the listing
URLs then fall on a fixed grid, so an HTTP cache or a replayed archive holds one listing per
month, and the few items re-listed are dropped by their cursor. The cursor is the item's
`publicationDate` (UTC, ISO) + `#` + its zero-padded id, so ties on a date keep an order.
Sessions without a transcript (`document: null`) are not listed until one is published.

Fetching reads `/api/OralEvidence/{id}/Document/Html` with `Accept: application/json` (JSON whose
`data` is the base64 HTML), or `/Document/Pdf` for legacy sessions that have no HTML. Both HTTP
responses land in the archive as the client records them. The raw item is a small JSON bundle
(committees_models.make_bundle): the API item as listed (witnesses, committees, business, meeting
date, HC numbers) and the Document JSON. A recording (live) client stores the bundle's bytes in
the archive too (content-addressed, by the sha256 the run records), so that `parse`, a pure
function of them, can be run again on a quarantined item; in replay both responses are there.

Parsing splits the transcript into Q-numbered turns (committees_transcript, committees_pdf);
a passage is one question or answer, a long one split at sentence boundaries. The locator is
`<evidence id>:Q<n>:<turn within Q>:<chunk>` (`Q0` before the first numbered question). The date
is the sitting date (`meetingDate`, else the transcript's own). `department` carries the body the
speaker gave evidence for (their department, for ministers and officials); party is not on the
API (`memberInfo` has only an MNIS id) and stays NULL.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urlencode

from pydantic import ValidationError

from extractors.archive import sha256_hex
from extractors.base import ItemRef, RawItem
from extractors.committees_models import (Bundle, DocumentPayload, OralEvidenceItem, Witness, api_day,
                                          make_bundle, read_bundle, read_listing, utc_stamp)
from extractors.committees_pdf import pdf_blocks, pdf_pages
from extractors.committees_transcript import Transcript, html_blocks, read_transcript
from extractors.errors import GoneError, ParseError
from extractors.http import HttpClient
from extractors.passage import Document, Passage, chunk_words, context_before

SOURCE = "committees"
SOURCE_TYPE = "committee_evidence"
API_URL = "https://committees-api.parliament.uk"
WEB_URL = "https://committees.parliament.uk"
PAGE_SIZE = 30
MAX_WORDS = 250
JSON_ACCEPT = {"Accept": "application/json"}


# -- discovery --------------------------------------------------------------------------------

def listing_url(skip: int, start: date | None = None, *, base_url: str = API_URL, take: int = PAGE_SIZE) -> str:
    params = ([("StartDate", start.isoformat())] if start else []) + [("Skip", str(skip)), ("Take", str(take))]
    return f"{base_url}/api/OralEvidence?{urlencode(params)}"


def listing_start(since: str | None) -> date | None:
    """The `StartDate` for a watermark: the first day of its month."""
    if not since:
        return None
    day = date.fromisoformat(since[:10])
    return day.replace(day=1)


def cursor_of(item: OralEvidenceItem) -> str:
    return f"{utc_stamp(item.publication_date or item.meeting_date or '1900-01-01')}#{item.id:010d}"


def cursor_from_date(day: date) -> str:
    return f"{day.isoformat()}T00:00:00#"


def document_url(evidence_id: int | str, fmt: str, base_url: str = API_URL) -> str:
    return f"{base_url}/api/OralEvidence/{evidence_id}/Document/{fmt}"


def web_url(evidence_id: int | str, fmt: str = "html") -> str:
    return f"{WEB_URL}/oralevidence/{evidence_id}/{fmt}/"


# -- parsing ----------------------------------------------------------------------------------

def transcript_of(content: bytes, name: str, api_witnesses: list[Witness] | None = None) -> tuple[Transcript, str]:
    """Read a transcript's HTML or PDF bytes; the second value names the format."""
    head = content[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return read_transcript(pdf_blocks(content, name), api_witnesses), "pdf"
    if head.startswith(b"PK"):
        raise ParseError(f"{name}: a Word document (OriginalFormat); only the Html and Pdf formats are parsed")
    if b"<" not in head:
        raise ParseError(f"{name}: neither HTML nor PDF")
    return read_transcript(html_blocks(content), api_witnesses), "html"


def build_document(transcript: Transcript, *, evidence_id: str, url: str | None, sitting: date | None,
                   item: OralEvidenceItem | None = None, fmt: str = "html", version: str = "") -> Document:
    """The document of one session: a passage per question or answer (chunked when long)."""
    header = transcript.header
    day = sitting or header.sitting
    if day is None:
        raise ParseError(f"{evidence_id}: no sitting date (neither meetingDate nor a dated header)")
    if not transcript.turns:
        raise ParseError(f"{evidence_id}: no `Q<n> Name:` or `Name:` speaker turns found")
    document_id = f"{SOURCE}:oralevidence/{evidence_id}"
    passages: list[Passage] = []
    previous: list[str] = []
    for turn in transcript.turns:
        speaker = transcript.roster.resolve(turn.label)
        for chunk_index, chunk in enumerate(chunk_words(turn.text, MAX_WORDS)):
            passages.append(Passage.build(
                source=SOURCE, source_type=SOURCE_TYPE, document_id=document_id,
                locator=f"{evidence_id}:Q{turn.q or 0}:{turn.index}:{chunk_index}",
                text=chunk, url=url, date=day,
                speaker=speaker.name if speaker else turn.label,
                speaker_id=speaker.speaker_id if speaker else None,
                role=speaker.role if speaker else "unknown",
                department=speaker.organisation if speaker and speaker.role != "committee_member" else None,
                context=context_before(previous),
            ))
            previous.append(chunk)
    committee = header.committee or (item.committees[0].name if item and item.committees else None)
    inquiry = header.title or (item.committee_businesses[0].title if item and item.committee_businesses else None)
    kind = f"{header.status} oral evidence" if header.status else "Oral evidence"
    title = ": ".join(filter(None, (committee, f"{kind}: {inquiry}" if inquiry else kind)))
    return Document(
        document_id=document_id, source=SOURCE, source_type=SOURCE_TYPE, item_id=f"oralevidence/{evidence_id}",
        version=version, url=url, title=f"{title}, {day.day} {day:%B %Y}", date=day, passages=passages,
        meta={"evidence_id": evidence_id, "format": fmt, "committee": committee, "inquiry": inquiry,
              "hc_number": header.hc_number or _hc_number(item),
              "questions": list(header.questions) if header.questions else None,
              "members_present": [s.name for s in transcript.roster.members],
              "witnesses": [{"name": s.name, "role": s.role, "post": s.post, "organisation": s.organisation}
                            for s in transcript.roster.witnesses],
              "publication_date": item.publication_date if item else None},
    )


def _hc_number(item: OralEvidenceItem | None) -> str | None:
    if item and item.hc_numbers and item.hc_numbers[0].number is not None:
        return f"HC {item.hc_numbers[0].number}"
    return None


def parse_bundle(raw: bytes, name: str = "bundle") -> Document:
    """Parse one raw bundle (API item + Document JSON) into a document (pure)."""
    bundle: Bundle = read_bundle(raw, name)
    item = bundle.item
    content = bundle.document.content()
    transcript, fmt = transcript_of(content, f"oralevidence/{item.id}", item.witnesses)
    sitting = api_day(item.meeting_date) if item.meeting_date else None
    return build_document(transcript, evidence_id=str(item.id), url=web_url(item.id, fmt), sitting=sitting,
                          item=item, fmt=fmt, version=utc_stamp(item.publication_date) if item.publication_date else "")


def parse_local(data: bytes, name: str) -> Document:
    """Parse a local transcript: HTML, PDF, a Document JSON or a raw bundle."""
    stem = PurePosixPath(name).name
    if data[:1] == b"{":
        try:
            payload = json.loads(data)
        except ValueError as exc:
            raise ParseError(f"{name}: invalid JSON ({exc})") from exc
        if isinstance(payload, dict) and "item" in payload and "document" in payload:
            return parse_bundle(data, name)
        try:
            data = DocumentPayload.model_validate(payload).content()
        except ValidationError as exc:
            raise ParseError(f"{name}: JSON that is neither a Document JSON nor a raw bundle") from exc
    evidence_id = re.sub(r"^oralevidence[-_]|\.(?:pdf|html?|json)$", "", stem, flags=re.I)
    transcript, fmt = transcript_of(data, name)
    return build_document(transcript, evidence_id=evidence_id, url=None, sitting=None, fmt=fmt)


def looks_like_transcript(name: str, data: bytes) -> bool:
    """Whether a local file is an oral evidence transcript (for `whitehall parse` detection)."""
    head = data[:4096].lstrip()
    if head.startswith(b"%PDF"):
        try:
            first = " ".join(pdf_pages(data, name, limit=1)[0])
        except (ParseError, IndexError):
            return False
        return bool(re.search(r"[Oo]ral evidence", first) and re.search(r"Members present|Witness", first))
    if head.startswith(b"{"):
        return b'"fileDataFormat"' in data or b'"format":"whitehall/committees-oral-evidence/' in data
    text = data[:200_000].decode("utf-8", errors="replace")
    return "<" in text[:1024] and bool(re.search(r"[Oo]ral evidence", text)) and (
        "Members present" in text or bool(re.search(r"Q\d+\s*(?:</b>|</strong>)?\s*(?:<[^>]+>)*\s*[A-Z]", text)))


# -- the extractor ----------------------------------------------------------------------------

class CommitteesExtractor:
    """The `committees` source: select-committee oral evidence sessions."""

    source = SOURCE

    def __init__(self, base_url: str = API_URL, page_size: int = PAGE_SIZE) -> None:
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.notes: list[str] = []

    def cursor_from_date(self, day: date) -> str:
        return cursor_from_date(day)

    def discover(self, client: HttpClient, since: str | None) -> list[ItemRef]:
        self.notes = []
        start = listing_start(since)
        refs: dict[int, ItemRef] = {}
        without_transcript = 0
        skip, total = 0, 1
        while skip < total:
            url = listing_url(skip, start, base_url=self.base_url, take=self.page_size)
            page = read_listing(client.get(url, source=self.source, conditional=False, headers=JSON_ACCEPT).data, url)
            total = page.total_results
            if not page.items:
                break
            skip += len(page.items)
            for raw_item in page.items:
                item = OralEvidenceItem.model_validate(raw_item)
                cursor = cursor_of(item)
                if since and cursor <= since:
                    continue
                if item.document is None:
                    without_transcript += 1
                    continue
                refs[item.id] = ItemRef(
                    source=self.source, item_id=f"oralevidence/{item.id}",
                    url=document_url(item.id, "Html", self.base_url), cursor=cursor,
                    version=utc_stamp(item.publication_date) if item.publication_date else "",
                    meta={"document_id": f"{SOURCE}:oralevidence/{item.id}", "item": raw_item,
                          "formats": sorted(item.document.formats())},
                )
        if without_transcript:
            self.notes.append(f"committees: {without_transcript} oral evidence session(s) listed without a "
                              "transcript yet; they are picked up once one is published")
        return sorted(refs.values(), key=lambda r: r.cursor)

    def fetch(self, client: HttpClient, ref: ItemRef) -> RawItem:
        """GET the session's Document JSON (HTML, else PDF) and bundle it with the API item."""
        evidence_id = ref.item_id.rsplit("/", 1)[-1]
        formats = set(ref.meta.get("formats") or [])
        order = ["Pdf"] if formats and "Html" not in formats and "Pdf" in formats else ["Html", "Pdf"]
        last: GoneError | None = None
        for fmt in order:
            url = document_url(evidence_id, fmt, self.base_url)
            try:
                result = client.get(url, source=self.source, headers=JSON_ACCEPT)
            except GoneError as exc:  # no HTML for a legacy session: try the PDF
                last = exc
                continue
            bundle = make_bundle(ref.meta.get("item") or {"id": int(evidence_id)}, url, _document_json(result.data, fmt))
            if client.record:
                client.archive.store(bundle)
            return RawItem(ref, bundle, sha256_hex(bundle), result.not_modified)
        raise last or GoneError(f"{ref.item_id}: no transcript document")

    def parse(self, raw: RawItem) -> Document:
        return parse_bundle(raw.data, raw.ref.item_id)


def _document_json(data: bytes, fmt: str) -> dict:
    """The Document JSON as served; raw bytes (an API that ignored `Accept`) are wrapped the same way."""
    try:
        payload = json.loads(data)
        if isinstance(payload, dict) and "data" in payload:
            return payload
    except ValueError:
        pass
    return {"fileName": None, "fileDataFormat": fmt, "data": base64.b64encode(data).decode("ascii"),
            "wrapped": True}
