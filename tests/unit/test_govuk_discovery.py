"""GOV.UK discovery on small recorded Search API pages: monthly windows, paging, dedupe, cursors.

The pages in tests/fixtures/govuk/ are in the real response envelope with invented content,
replayed at the URLs discovery asks for (page size 2, so that a window spans pages).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from extractors.acquire import acquire
from extractors.archive import RawArchive
from extractors.base import ItemRef
from extractors.errors import ParseError, SkipItem
from extractors.govuk import GovukExtractor, month_windows, parse_content, search_url
from extractors.http import HttpClient, canonical_url
from tests.conftest import RECORDED

FIXTURES = RECORDED / "govuk"
PAGE = 2
PAGES = {  # fixture file: (start, window month or None for the unwindowed query)
    "search-head-start0.json": (0, None),
    "search-head-start4.json": (4, None),
    "search-2024-03-start0.json": (0, (2024, 3)),
    "search-2024-03-start2.json": (2, (2024, 3)),
    "search-2024-04-start0.json": (0, (2024, 4)),
    "search-2024-05-start0.json": (0, (2024, 5)),
    "search-2024-05-start2.json": (2, (2024, 5)),
}
ALPHA = "/government/speeches/alpha"
SPEC_QUERY = ("filter_content_store_document_type=speech&filter_content_store_document_type=oral_statement"
              "&filter_content_store_document_type=written_statement"
              "&filter_content_store_document_type=authored_article&order=-public_timestamp&count=100&start=N"
              "&fields=link,title,description,public_timestamp,content_store_document_type,people,roles,"
              "organisations,government_name,is_historic,is_political,content_id")


class Spy:
    """The replay client, noting every URL asked for."""

    def __init__(self, client: HttpClient) -> None:
        self.client, self.urls = client, []

    def get(self, url, **kwargs):
        self.urls.append(url)
        return self.client.get(url, **kwargs)


def _window(month: tuple[int, int] | None) -> tuple[date, date] | None:
    return month_windows(date(*month, 1), date(*month, 1))[0] if month else None


@pytest.fixture
def archive(tmp_path) -> RawArchive:
    archive = RawArchive(tmp_path / "archive")
    for name, (start, month) in PAGES.items():
        archive.record(canonical_url(search_url(start, _window(month), count=PAGE)),
                       (FIXTURES / name).read_bytes(), fetched_at="2024-06-01T02:00:00+00:00", source="govuk")
    archive.record(canonical_url("https://www.gov.uk/api/content/government/people/ann-example"),
                   (FIXTURES / "person-ann-example.json").read_bytes(), fetched_at="2024-06-01T02:00:00+00:00")
    archive.record(canonical_url(f"https://www.gov.uk/api/content{ALPHA}"),
                   (FIXTURES / "content-alpha.json").read_bytes(), fetched_at="2024-06-01T02:00:00+00:00")
    return archive


@pytest.fixture
def spy(archive) -> Spy:
    return Spy(HttpClient.replay(archive))


def test_the_query_is_exactly_the_specified_one():
    asked = parse_qsl(urlsplit(search_url(200)).query)
    assert asked == parse_qsl(SPEC_QUERY.replace("start=N", "start=200"))
    windowed = dict(parse_qsl(urlsplit(search_url(0, (date(2024, 2, 1), date(2024, 2, 29)))).query))
    assert windowed["filter_public_timestamp"] == "from:2024-02-01,to:2024-02-29"


def test_month_windows_cover_leap_february_and_the_new_year():
    assert month_windows(date(2023, 12, 15), date(2024, 2, 3)) == [
        (date(2023, 12, 1), date(2023, 12, 31)), (date(2024, 1, 1), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29))]
    assert month_windows(date(2024, 6, 1), date(2024, 5, 31)) == []


def test_full_discovery_pages_windows_from_the_oldest_to_the_newest_month_and_dedupes(spy):
    extractor = GovukExtractor(page_size=PAGE)
    refs = extractor.discover(spy, None)
    assert [r.cursor for r in refs] == [
        "2024-03-12T09:30:00Z|/government/speeches/bravo-statement",
        "2024-03-20T16:00:00Z|/government/speeches/charlie-article",
        "2024-05-01T12:00:00Z|/government/speeches/alpha.cy",  # a translation shares alpha's content_id
        "2024-05-02T07:00:00Z|/government/speeches/alpha",  # updated: the May copy wins over March's
    ]
    alpha = refs[-1]
    assert alpha == ItemRef("govuk", ALPHA, f"https://www.gov.uk/api/content{ALPHA}", alpha.cursor,
                            version="2024-05-02T07:00:00Z")
    assert alpha.meta == {"content_id": "0b0e0a4e-0000-4000-8000-0000000000a1", "document_type": "speech"}
    searched = [dict(parse_qsl(urlsplit(u).query)) for u in spy.urls if "search.json" in u]
    assert [(q.get("filter_public_timestamp"), q["start"]) for q in searched] == [
        (None, "0"), (None, "4"),  # the newest item bounds the months; the oldest item starts them
        ("from:2024-03-01,to:2024-03-31", "0"), ("from:2024-03-01,to:2024-03-31", "2"),
        ("from:2024-04-01,to:2024-04-30", "0"),
        ("from:2024-05-01,to:2024-05-31", "0"), ("from:2024-05-01,to:2024-05-31", "2")]
    assert not any("example.org" in r.url for r in refs)  # external links are not Content API items


def test_incremental_discovery_from_the_watermark(spy):
    extractor = GovukExtractor(page_size=PAGE)
    charlie = "2024-03-20T16:00:00Z|/government/speeches/charlie-article"
    assert [r.item_id for r in extractor.discover(spy, charlie)] == ["/government/speeches/alpha.cy", ALPHA]
    assert [r.item_id for r in extractor.discover(spy, extractor.cursor_from_date(date(2024, 5, 2)))] == [ALPHA]
    latest = extractor.discover(spy, None)[-1].cursor
    assert extractor.discover(spy, latest) == []  # an unchanged archive: nothing after the watermark
    spy.urls.clear()
    assert extractor.discover(spy, "2024-06-01T00:00:00Z") == []
    assert len(spy.urls) == 1  # past the newest month: only the first page was read


def test_people_pages_give_roles_at_date_and_missing_ones_are_noted(spy):
    extractor = GovukExtractor(page_size=PAGE)
    refs = extractor.discover(spy, None)
    assert "https://www.gov.uk/api/content/government/people/ann-example" in spy.urls
    assert len(extractor.notes) == 1 and "/government/people/bob-example" in extractor.notes[0]
    outcome = acquire(extractor, spy.client, refs[-1])
    assert outcome.state == "parsed"
    doc = outcome.document
    assert doc.meta["role_title"] == "Chief Secretary to the Treasury" and doc.meta["role_source"] == "role_appointments"
    assert {(p.speaker, p.role, p.department) for p in doc.passages} == {("Ann Example", "minister", "HM Treasury")}
    assert doc.version == "2024-05-02T07:00:00Z" and doc.date == date(2024, 5, 1)


def test_body_units_in_document_order(archive):
    doc = parse_content((FIXTURES / "content-alpha.json").read_bytes(), "content-alpha.json")
    assert [(p.locator.split(":")[1], p.text) for p in doc.passages] == [
        ("0", "Thank you for having me at the invented summit."),
        ("1#the-plan", "We will publish an invented plan for rural buses."),  # footnote marker dropped
        ("2#the-plan", "first, timetables"),  # a list item without its nested list
        ("3#the-plan", "nested: Sunday services"),
        ("4#the-plan", "second, fares"),  # <li><p> counted once
        ("5#the-plan", "A quoted paragraph, counted once."),
        ("6#the-plan", "A bare quotation without a paragraph."),
        ("7#officials", "My officials worked through the night."),  # <br> is a space; table and footnotes left out
    ]
    assert doc.passages[0].context == "" and doc.passages[7].context.endswith("A bare quotation without a paragraph.")
    assert doc.passages[7].url == "https://www.gov.uk/government/speeches/alpha#officials"
    assert doc.passages[0].role == "unknown"  # no links.roles and no appointments given: not guessed


def test_gone_redirect_and_malformed_items(archive):
    gone_url = "https://www.gov.uk/api/content/government/speeches/bravo-statement"
    archive.record(canonical_url(gone_url), b'{"document_type":"gone","schema_name":"gone","base_path":'
                   b'"/government/speeches/bravo-statement","details":{"explanation":null}}', status=410)
    extractor = GovukExtractor(page_size=PAGE)
    outcome = acquire(extractor, HttpClient.replay(archive), ItemRef("govuk", "/government/speeches/bravo-statement",
                                                                     gone_url, "c"))
    assert (outcome.state, outcome.reason) == ("skipped", "gone")
    redirect = (b'{"base_path":"/government/speeches/old","schema_name":"redirect","document_type":"redirect",'
                b'"redirects":[{"path":"/government/speeches/old","type":"exact","destination":"/government/speeches/new"}]}')
    with pytest.raises(SkipItem, match="redirected to /government/speeches/new") as skipped:
        parse_content(redirect, "old")
    assert skipped.value.reason == "gone"
    with pytest.raises(ParseError, match="not a Content API item"):
        parse_content(b'{"base_path": "/x", "schema_name": "speech", "links": [1]}', "bad.json")
    with pytest.raises(ParseError, match="not a Content API item"):
        parse_content(b"<html>", "page.html")


def test_a_malformed_listing_page_fails_discovery_loudly(archive):
    archive.record(canonical_url(search_url(0, count=PAGE)), b'{"results": "none"}',
                   fetched_at="2024-06-02T02:00:00+00:00")
    with pytest.raises(ParseError, match="not a Search API response"):
        GovukExtractor(page_size=PAGE).discover(HttpClient.replay(archive), None)
