"""The Ministers Reflect parser and index reader on recorded pages (invented content, real layout)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest

from extractors.archive import RawArchive
from extractors.errors import ParseError
from extractors.http import HttpClient
from extractors.local_files import detect, parse_local
from extractors.ministers_reflect import MinistersReflectExtractor, index_url, parse_index
from extractors.ministers_reflect_page import parse_page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ministers_reflect"
PAGE = FIXTURES / "mirabel-ashcombe.html"
INDEX = FIXTURES / "ministers-reflect-page-1.html"


@pytest.fixture(scope="module")
def doc():
    return parse_page(PAGE.read_bytes(), PAGE.name)


def test_interviewee_interviewers_and_dates(doc):
    assert doc.document_id == "ministers_reflect:mirabel-ashcombe" and doc.item_id == "mirabel-ashcombe"
    assert doc.url == "https://www.instituteforgovernment.org.uk/ministers-reflect/person/mirabel-ashcombe/"
    assert doc.meta["interviewee"] == "Dame Mirabel Ashcombe" and doc.meta["interviewee_initials"] == "MA"
    assert doc.meta["interviewers"] == [{"initials": "HQ", "name": "Harriet Quenby"},
                                        {"initials": "RP", "name": "Rufus Penhaligon"}]
    assert doc.meta["interview_date"] == "2019-02-14"
    # no listing date and none on the page: the interview date is the fallback, and says so
    assert doc.date == date(2019, 2, 14) and doc.meta["date_basis"] == "interview date"
    assert doc.meta["caption"] == "Mirabel Ashcombe, former secretary of state for transport"


def test_bio_offices_department_and_party(doc):
    assert [(o["office"], o["start"], o["end"], o["department"]) for o in doc.meta["offices"]] == [
        ("secretary of state for transport", 2016, 2018, "Department for Transport"),
        ("minister of state at the Home Office", 2014, 2016, "Home Office"),
        ("parliamentary under-secretary in the Cabinet Office", 2012, 2014, "Cabinet Office"),
    ]
    assert doc.meta["department"] == "Department for Transport"
    assert doc.meta["party"] == "Liberal Democrat"  # "has been the … MP": present tense
    assert len(doc.meta["bio"]) == 2


def test_turns_paragraphs_and_locators(doc):
    rows = [(p.locator, p.speaker, p.role) for p in doc.passages]
    assert rows == [
        ("mirabel-ashcombe:0:0", "Harriet Quenby", "unknown"),
        ("mirabel-ashcombe:1:0", "Mirabel Ashcombe", "author"),
        ("mirabel-ashcombe:1:1", "Mirabel Ashcombe", "author"),  # unlabelled: continues MA
        ("mirabel-ashcombe:2:0", "Harriet Quenby", "unknown"),  # later turn: "HQ:"
        ("mirabel-ashcombe:3:0", "Mirabel Ashcombe", "author"),
        ("mirabel-ashcombe:4:0", "Rufus Penhaligon", "unknown"),  # a second interviewer
        ("mirabel-ashcombe:5:0", "Mirabel Ashcombe", "author"),
        ("mirabel-ashcombe:5:1", "Mirabel Ashcombe", "author"),  # after a blockquote pull quote
        ("mirabel-ashcombe:6:0", "Rufus Penhaligon", "unknown"),
    ]
    answer = doc.passages[4]
    assert answer.text == ("It took time. We disagreed about the rail timetable for months, but she always "
                           "told me the truth, even when I did not want to hear it.")
    assert doc.passages[1].text.startswith("Bewildering, honestly.")  # the label is not in the text
    interviewee = [p for p in doc.passages if p.role == "author"]
    assert {(p.speaker_id, p.party, p.department) for p in interviewee} == {
        ("ministers_reflect:mirabel-ashcombe", "Liberal Democrat", "Department for Transport")}
    assert all(p.party is None and p.department is None and p.speaker_id is None
               for p in doc.passages if p.role == "unknown")
    assert {p.source_type for p in doc.passages} == {"memoir_interview"}


def test_pull_quotes_headings_and_what_is_not_transcript(doc):
    texts = [p.text for p in doc.passages]
    assert doc.meta["pull_quotes_skipped"] == 1  # the quoted repeat; the <blockquote> one never enters
    assert not any(t.startswith("“") for t in texts)
    assert doc.meta["topics"] == ["Arriving in the department", "Getting things done"]
    assert doc.passages[0].context == "Arriving in the department"
    assert not any("Download the transcript" in t or "Related content" in t or "2019." in t for t in texts)
    assert not any("was interviewed" in t or "has been the Liberal Democrat MP" in t for t in texts)


def test_listing_date_wins_and_interview_date_is_kept():
    doc = parse_page(PAGE.read_bytes(), PAGE.name, published=date(2019, 3, 27))
    assert doc.date == date(2019, 3, 27) and {p.date for p in doc.passages} == {date(2019, 3, 27)}
    assert doc.meta["date_basis"] == "listing" and doc.meta["interview_date"] == "2019-02-14"


def test_page_date_is_used_when_the_page_has_one():
    raw = PAGE.read_bytes().replace(b"<head>", b'<head>\n<meta property="article:published_time" '
                                              b'content="2019-03-27T09:30:00+00:00">', 1)
    doc = parse_page(raw, PAGE.name)
    assert doc.date == date(2019, 3, 27) and doc.meta["date_basis"] == "page"


def _page(h1: str, standfirst: str, turns: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><link rel="canonical" href="https://www.instituteforgovernment.org.uk'
            f'/ministers-reflect/lord-tarrant"></head><body><main><h1>{h1}</h1><p>{standfirst}</p>'
            f'<div class="body"><p>He was chief secretary to the Treasury (2015–17). He is a crossbench peer.</p>'
            f"{turns}</div></main></body></html>").encode()


def test_peer_matched_by_surname_and_summary_instead_of_interview_sentence():
    raw = _page("Lord Tarrant", "Lord Tarrant looks back on the spending rounds.",
                "<p>Harriet Quenby (HQ): Where shall we start?</p><p>Giles Tarrant (GT): With the money.</p>"
                "<p>HQ: Go on.</p><p>GT: Every department wanted more.</p>")
    with pytest.raises(ParseError, match="no publication or interview date"):
        parse_page(raw, "lord-tarrant.html")
    doc = parse_page(raw, "lord-tarrant.html", published=date(2019, 3, 27))
    assert doc.item_id == "lord-tarrant"  # from the canonical link (newer URL style)
    assert doc.meta["interview_date"] is None
    assert doc.meta["summary"] == "Lord Tarrant looks back on the spending rounds."
    assert [(p.speaker, p.role) for p in doc.passages] == [
        ("Harriet Quenby", "unknown"), ("Giles Tarrant", "author"), ("Harriet Quenby", "unknown"),
        ("Giles Tarrant", "author")]
    assert doc.passages[1].party == "Crossbench" and doc.passages[1].department == "HM Treasury"


def test_pages_that_are_not_interviews_are_parse_errors():
    with pytest.raises(ParseError, match="not an interview transcript"):
        parse_page(INDEX.read_bytes(), INDEX.name)
    with pytest.raises(ParseError, match="no interviewee name"):
        parse_page(b"<html><body><p>nothing</p></body></html>", "empty.html")


def test_index_cards_and_counts():
    page = parse_index(INDEX.read_bytes())
    assert [(c.slug, c.name, c.published.isoformat()) for c in page.cards] == [
        ("mirabel-ashcombe", "Mirabel Ashcombe", "2019-03-27"),
        ("lord-tarrant", "Lord Tarrant", "2019-03-27"),
        ("sefton-pryor", "Sefton Pryor", "2018-12-05"),
    ]
    assert page.cards[2].url == "https://www.instituteforgovernment.org.uk/ministers-reflect/sefton-pryor"
    assert page.cards[0].summary.startswith("Mirabel Ashcombe discusses red boxes")
    assert page.cards[0].cursor == "2019-03-27|mirabel-ashcombe"
    assert (page.first, page.last, page.total, page.is_last) == (11, 13, 13, True)


def test_local_parse_detects_a_saved_interview_page(tmp_path):
    saved = tmp_path / "interview.html"
    saved.write_bytes(PAGE.read_bytes())
    assert detect(saved.name, saved.read_bytes()) == "ministers_reflect"
    doc = parse_local(saved)
    assert doc.item_id == "mirabel-ashcombe" and len(doc.passages) == 9


def test_live_discovery_is_polite_and_pages_until_the_last(tmp_path):
    """Two index pages and robots.txt over a mock transport: one request a second at most."""
    page0 = INDEX.read_bytes().replace(b"Displaying 11 - 13 of 13", b"Displaying 1 - 3 of 6")
    served = {index_url(0): page0, index_url(1): INDEX.read_bytes().replace(b"mirabel-ashcombe", b"mirabel-ash")}
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /search\n")
        return httpx.Response(200, content=served[str(request.url)], headers={"content-type": "text/html"})

    pauses: list[float] = []
    client = HttpClient(RawArchive(tmp_path / "archive"), transport=httpx.MockTransport(handler),
                        requests_per_second=100, sleep=lambda s: None)
    extractor = MinistersReflectExtractor(sleep=pauses.append)
    refs = extractor.discover(client, None)
    assert [r.item_id for r in refs] == ["sefton-pryor", "lord-tarrant", "mirabel-ash", "mirabel-ashcombe"]
    assert refs[-1].meta["published"] == "2019-03-27"
    assert requested[0].endswith("/robots.txt") and requested[1:] == [index_url(0), index_url(1)]
    assert pauses and min(pauses) > 0.9  # the second index page waited about a second
    assert extractor.discover(client, refs[-1].cursor) == []
