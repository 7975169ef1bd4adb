"""The committees and inquiry extractors' discovery and fetching, against a mocked API (no network)."""

from __future__ import annotations

import base64
import sys
from datetime import date
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from extractors.archive import RawArchive
from extractors.committees import CommitteesExtractor, cursor_from_date, listing_start
from extractors.committees_models import read_bundle
from extractors.errors import GoneError
from extractors.http import HttpClient
from extractors.inquiry import InquiryExtractor
from extractors.local_files import detect, parse_local
from tests.conftest import RECORDED

HTML = (RECORDED / "committees" / "oralevidence-4711.html").read_bytes()


def _item(evidence_id: int, published: str, formats=("Html",), document=True) -> dict:
    return {"id": evidence_id, "publicationDate": published, "meetingDate": "2023-03-14T00:00:00",
            "witnesses": [{"id": 1, "personId": 4401, "name": "Verity Ashcroft", "submitterType": "Individual",
                           "memberInfo": {"mnisId": 4401, "displayAs": "Verity Ashcroft"},
                           "organisations": [{"name": "Cabinet Office", "role": "Minister for the Cabinet Office"}]}],
            "document": {"documentId": 9, "files": [{"fileName": f"x.{f.lower()}", "fileDataFormat": f}
                                                    for f in formats]} if document else None,
            "committees": [{"id": 327, "name": "Public Administration and Constitutional Affairs Committee"}],
            "committeeBusinesses": [{"id": 1, "title": "The work of the Civil Service", "type": {"name": "Inquiry"}}],
            "hcNumbers": [{"number": "123", "sessionId": 1, "sessionDescription": "2022-23"}]}


ITEMS = [_item(4711, "2023-03-21T10:00:00"), _item(4700, "2023-03-21T10:00:00"), _item(4650, "2023-02-02T09:00:00"),
         _item(4800, "2023-04-03T09:00:00", document=False), _item(4600, "2023-01-10T09:00:00", formats=("Pdf",))]


class FakeApi:
    """The Committees API's OralEvidence listing and documents, newest first, `take` per page."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = urlsplit(str(request.url))
        if url.path == "/robots.txt":
            return httpx.Response(404)
        if url.path == "/api/OralEvidence":
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            items = sorted(ITEMS, key=lambda i: i["publicationDate"], reverse=True)
            if "StartDate" in query:
                items = [i for i in items if i["publicationDate"][:10] >= query["StartDate"]]
            skip, take = int(query["Skip"]), int(query["Take"])
            return httpx.Response(200, json={"items": items[skip:skip + take], "totalResults": len(items)})
        if url.path.endswith("/Document/Html") and "/4600/" not in url.path:
            return httpx.Response(200, json={"fileName": "x.html", "fileDataFormat": "Html", "data":
                                             base64.b64encode(HTML).decode()})
        return httpx.Response(404)


@pytest.fixture
def api(tmp_path):
    fake = FakeApi()
    client = HttpClient(RawArchive(tmp_path / "archive"), httpx.MockTransport(fake), requests_per_second=0,
                        sleep=lambda s: None)
    yield fake, client
    client.close()


def test_discovery_pages_until_total_and_orders_by_cursor(api):
    fake, client = api
    extractor = CommitteesExtractor(page_size=2)
    refs = extractor.discover(client, None)
    assert [r.item_id for r in refs] == ["oralevidence/4600", "oralevidence/4650", "oralevidence/4700",
                                         "oralevidence/4711"]
    assert refs[-1].cursor == "2023-03-21T10:00:00#0000004711"  # ties on the date keep the id order
    listing = [r for r in fake.requests if r.url.path == "/api/OralEvidence"]
    assert [parse_qs(r.url.query.decode())["Skip"] for r in listing] == [["0"], ["2"], ["4"]]
    assert all(r.headers["accept"] == "application/json" for r in listing)
    assert "without a transcript" in extractor.notes[0]  # 4800 has `document: null`
    assert refs[0].meta["formats"] == ["Pdf"] and refs[-1].meta["item"]["id"] == 4711


def test_discovery_is_incremental_from_the_watermark(api):
    fake, client = api
    extractor = CommitteesExtractor(page_size=2)
    since = "2023-03-21T10:00:00#0000004700"
    assert [r.item_id for r in extractor.discover(client, since)] == ["oralevidence/4711"]
    last = fake.requests[-1]
    assert parse_qs(last.url.query.decode())["StartDate"] == ["2023-03-01"]  # the watermark's month
    assert extractor.discover(client, "2023-03-21T10:00:00#0000004711") == []
    assert listing_start(cursor_from_date(date(2020, 5, 17))) == date(2020, 5, 1)


def test_a_republished_session_comes_round_again_with_a_newer_version(api, monkeypatch):
    _, client = api
    extractor = CommitteesExtractor(page_size=2)
    before = {r.item_id: r for r in extractor.discover(client, None)}
    watermark = max(r.cursor for r in before.values())
    republished = [dict(i, publicationDate="2023-04-01T09:00:00") if i["id"] == 4650 else i for i in ITEMS]
    monkeypatch.setattr(sys.modules[__name__], "ITEMS", republished)
    again = extractor.discover(client, watermark)
    assert [r.item_id for r in again] == ["oralevidence/4650"]
    assert again[0].version > before["oralevidence/4650"].version  # the loader replaces the older text


def test_fetch_bundles_item_and_document_and_parse_is_pure(api):
    _, client = api
    extractor = CommitteesExtractor(page_size=2)
    ref = next(r for r in extractor.discover(client, None) if r.item_id == "oralevidence/4711")
    raw = extractor.fetch(client, ref)
    bundle = read_bundle(raw.data, "4711")
    assert bundle.item.id == 4711 and bundle.document_url.endswith("/api/OralEvidence/4711/Document/Html")
    assert client.archive.read(raw.sha256) == raw.data  # the bundle is kept for a retry of a quarantined parse
    document = extractor.parse(raw)
    assert document == extractor.parse(raw)
    assert document.document_id == "committees:oralevidence/4711" and document.version == "2023-03-21T10:00:00"
    assert document.url == "https://committees.parliament.uk/oralevidence/4711/html/"
    assert document.passages[0].locator == "4711:Q407:0:0"
    minister = next(p for p in document.passages if p.speaker == "Verity Ashcroft")
    assert (minister.role, minister.speaker_id, minister.department) == ("minister", "mnis:4401", "Cabinet Office")
    saved = client.archive.object_path(raw.sha256)  # `whitehall parse` reads a saved bundle as well
    assert detect(saved.name, raw.data) == "committees"
    assert parse_local(saved, "committees").passages == document.passages


def test_a_legacy_session_is_fetched_as_pdf(api):
    fake, client = api
    extractor = CommitteesExtractor(page_size=2)
    ref = next(r for r in extractor.discover(client, None) if r.item_id == "oralevidence/4600")
    with pytest.raises(GoneError):  # only the PDF is offered, and this fake serves none
        extractor.fetch(client, ref)
    assert fake.requests[-1].url.path == "/api/OralEvidence/4600/Document/Pdf"


class FakeGitHub:
    """The GitHub contents API for dracos/uk-covid19-inquiry, and raw.githubusercontent.com."""

    DAY = b"1 May 2024\n==========\n\nMs Ada Roe\n----------\n\n**Counsel Inquiry**: A question?\n\n**Ms Roe**: An answer.\n"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        base = "/repos/dracos/uk-covid19-inquiry/contents"
        raw = "https://raw.githubusercontent.com/dracos/uk-covid19-inquiry/main"
        if path == base:
            return httpx.Response(200, json=[{"name": "module-2", "path": "module-2", "sha": "a", "type": "dir"},
                                             {"name": "conf.py", "path": "conf.py", "sha": "b", "type": "file",
                                              "download_url": f"{raw}/conf.py"}])
        if path == f"{base}/module-2":
            return httpx.Response(200, json=[
                {"name": n, "path": f"module-2/{n}", "sha": f"s{i}", "type": "file", "download_url": f"{raw}/module-2/{n}"}
                for i, n in enumerate(("2024-05-01.rst", "2024-04-30.rst", "index.rst"))])
        if path.startswith("/dracos/uk-covid19-inquiry/main/module-2/"):
            return httpx.Response(200, content=self.DAY)
        return httpx.Response(404)


def test_inquiry_discovery_through_the_contents_api(tmp_path):
    client = HttpClient(RawArchive(tmp_path / "archive"), httpx.MockTransport(FakeGitHub()), requests_per_second=0)
    extractor = InquiryExtractor()
    refs = extractor.discover(client, None)
    assert [(r.item_id, r.cursor, r.version) for r in refs] == [
        ("module-2/2024-04-30", "2024-04-30:module-2", "s1"), ("module-2/2024-05-01", "2024-05-01:module-2", "s0")]
    assert [r.item_id for r in extractor.discover(client, "2024-04-30:module-2")] == ["module-2/2024-05-01"]
    assert extractor.discover(client, extractor.cursor_from_date(date(2024, 5, 2))) == []
    document = extractor.parse(extractor.fetch(client, refs[1]))
    assert document.document_id == "inquiry:module-2/2024-05-01"
    assert [(p.speaker, p.locator) for p in document.passages] == [("Counsel Inquiry", "2024-05-01.rst:7:0"),
                                                                   ("Ms Roe", "2024-05-01.rst:9:0")]
    assert document.passages[0].url.startswith("https://raw.githubusercontent.com/dracos/uk-covid19-inquiry/")
    client.close()
