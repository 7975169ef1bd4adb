"""Contract tests: the oral evidence parser on the real 2014 Commons PDFs in ../shared/fixtures/real/."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from extractors.committees import parse_local
from extractors.committees_pdf import pdf_pages, strip_furniture
from extractors.local_files import detect

PDF_DIR = "committee-evidence/pdf"


@pytest.fixture(scope="module")
def july(real):
    path = real / PDF_DIR / "Oral_20140708.pdf"
    return parse_local(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def june(real):
    path = real / PDF_DIR / "Oral_20140623.pdf"
    return parse_local(path.read_bytes(), path.name)


def _questions(document) -> list[int]:
    return sorted({int(p.locator.split(":")[1][1:]) for p in document.passages})


def test_july_session_is_dated_by_its_sitting_not_its_file_name(july):
    assert july.date.isoformat() == "2014-07-02"  # Oral_20140708.pdf holds the 2 July session
    assert all(p.date.isoformat() == "2014-07-02" for p in july.passages)
    assert july.meta["committee"] == "Science and Technology Committee"
    assert july.meta["inquiry"] == "Social media data and real time analytics"
    assert july.meta["hc_number"] == "HC 245"
    assert july.meta["questions"] == [156, 227]
    assert july.meta["members_present"] == ["Andrew Miller", "David Heath", "Stephen Metcalfe", "Stephen Mosley",
                                            "Pamela Nash", "Graham Stringer", "David Tredinnick"]


def test_july_q_range_counts_and_locators(july):
    assert _questions(july) == list(range(156, 228))
    assert len(july.passages) == 171
    assert july.passages[0].locator == "Oral_20140708:Q156:0:0"
    assert july.passages[0].speaker == "Andrew Miller" and july.passages[0].role == "committee_member"
    assert july.passages[-1].locator == "Oral_20140708:Q227:2:0"
    assert all(re.fullmatch(r"Oral_20140708:Q\d+:\d+:\d+", p.locator) for p in july.passages)
    assert len({p.passage_id for p in july.passages}) == len(july.passages)


def test_july_minister_panel(july):
    vaizey = [p for p in july.passages if p.speaker == "Ed Vaizey"]
    assert len(vaizey) == 34
    assert {p.role for p in vaizey} == {"minister"}
    assert {p.department for p in vaizey} == {"Department for Culture, Media and Sport"}
    assert min(int(p.locator.split(":")[1][1:]) for p in vaizey) == 196  # the second panel opens at Q196
    first_panel = {p.speaker: p.role for p in july.passages if int(p.locator.split(":")[1][1:]) < 196
                   and p.role != "committee_member"}
    assert first_panel == {"Steve Wood": "external_witness", "Dr Mark Elliot": "external_witness",
                           "Dr Kevin Macnish": "external_witness"}


def test_june_session(june):
    assert june.date.isoformat() == "2014-06-23"
    assert _questions(june) == list(range(80, 156))
    assert len(june.passages) == 229
    speakers = Counter(p.speaker for p in june.passages)
    assert speakers["Andrew Miller"] == 36 and speakers["Sir Nigel Shadbolt"] == 29
    assert speakers["Professor Liesbet van Zoonen"] == 17 and speakers["Dr Mathieu d’Aquin"] == 14
    roles = Counter(p.role for p in june.passages)
    assert roles == {"external_witness": 144, "committee_member": 85}
    # `Then the question is: …` at the start of a wrapped line continues an answer, it is no speaker
    assert "Then the question is" not in speakers


@pytest.mark.parametrize("fixture", ["july", "june"])
def test_no_page_furniture_survives(fixture, request):
    document = request.getfixturevalue(fixture)
    for passage in document.passages:
        assert "HC 245" not in passage.text
        assert "Oral evidence:" not in passage.text
        assert not re.search(r"analytics, HC|real time analytics \d", passage.text)
        assert not re.match(r"^\d+\s", passage.text)  # no page or line number at a passage start


@pytest.mark.parametrize("name, n_pages", [("Oral_20140708.pdf", 25), ("Oral_20140623.pdf", 36)])
def test_running_headers_are_on_every_page_and_stripped(real, name, n_pages):
    data = (real / PDF_DIR / name).read_bytes()
    pages = pdf_pages(data, name)
    assert len(pages) == n_pages
    assert [re.sub(r"^Oral evidence: .*, HC 245 (\d+)\s*$", r"\1", page[0]) for page in pages] == [
        str(n) for n in range(1, n_pages + 1)]
    assert not any("HC 245 " in line for page in strip_furniture(pages) for line in page)


@pytest.mark.parametrize("fixture, speaker_share, role_share", [("july", 1.0, 1.0), ("june", 1.0, 1.0)])
def test_coverage_of_speaker_and_role(fixture, speaker_share, role_share, request):
    document = request.getfixturevalue(fixture)
    n = len(document.passages)
    assert sum(1 for p in document.passages if p.speaker) / n == speaker_share
    assert sum(1 for p in document.passages if p.role != "unknown") / n == role_share
    assert all(p.party is None for p in document.passages)  # not in the transcript: never guessed


def test_whitehall_parse_detects_the_pdf(real):
    path = real / PDF_DIR / "Oral_20140708.pdf"
    assert detect(path.name, path.read_bytes()) == "committees"


def test_whitehall_parse_cli_on_pdf_rst_and_html(real, tmp_path):
    from typer.testing import CliRunner

    from tests.conftest import RECORDED
    from whitehall.cli import app

    files = [real / PDF_DIR / "Oral_20140708.pdf",
             real / "evidence-inquiry-transcripts/uk-covid19-inquiry_module-2_2023-11-01.rst",
             RECORDED / "committees/oralevidence-4711.html"]
    out = tmp_path / "passages.jsonl"
    result = CliRunner().invoke(app, ["parse", *map(str, files), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    by_source = Counter((r["source"], r["document_id"]) for r in records)
    assert by_source == {("committees", "committees:oralevidence/Oral_20140708"): 171,
                         ("inquiry", "inquiry:module-2/2023-11-01"): 780,
                         ("committees", "committees:oralevidence/4711"): 22}
    assert all(r["id"] == r["passage_id"] and r["source_type"] == "committee_evidence" for r in records)


def test_the_real_api_witness_object_reads_and_merges_with_the_transcript_header(real):
    """The one real Committees API witness (a Ruby `inspect` dump, read for its fields: `=>`, `nil`)."""
    from extractors.committees_models import Witness
    from extractors.committees_roles import HeaderWitness, Roster

    dump = (real / "committee-evidence/api/written-evidence-witness.ruby-inspect.txt").read_text()
    as_json = re.sub(r",\s*}\s*$", "}", dump.replace("=>", ":").replace("nil", "null"))
    witness = Witness.model_validate(json.loads(as_json)["witnesses"][0])
    assert (witness.name, witness.person_id, witness.submitter_type) == (None, None, "Organisation")
    assert (witness.organisations[0].name, witness.organisations[0].cis_id) == ("Scope", 72633)
    # an organisation witness has no person name: the transcript header supplies the person
    roster = Roster([("Ann Chair", True)], [HeaderWitness("Pat Example", "Adviser, Scope")], [witness])
    speaker = roster.resolve("Pat Example")
    assert (speaker.role, speaker.post, speaker.organisation) == ("external_witness", "Lead Public Affairs Adviser",
                                                                  "Scope")
