"""The oral evidence transcript parser on small recorded HTML in the real layouts (tests/fixtures/committees/)."""

from __future__ import annotations

import base64
import json
from collections import Counter

import pytest

from extractors.committees import parse_local
from extractors.committees_models import OralEvidenceItem, Witness
from extractors.committees_pdf import pdf_blocks
from extractors.committees_roles import HeaderWitness, Roster, classify, organisation_of, split_panel
from extractors.committees_transcript import html_blocks, read_transcript
from extractors.errors import ParseError
from extractors.local_files import detect
from sample_archive.pdf_writer import write_pdf
from tests.conftest import RECORDED

FIXTURES = RECORDED / "committees"


def _html(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def commons():
    return parse_local(_html("oralevidence-4711.html"), "oralevidence-4711.html")


def test_commons_header(commons):
    assert commons.document_id == "committees:oralevidence/4711"
    assert commons.date.isoformat() == "2023-03-14"
    assert commons.title == ("Public Administration and Constitutional Affairs Committee: "
                             "Oral evidence: The work of the Civil Service, 14 March 2023")
    assert commons.meta["hc_number"] == "HC 123" and commons.meta["questions"] == [407, 415]
    assert commons.meta["members_present"] == ["Dame Eleri Fairbairn", "Tobias Kettleby", "Rhiannon Lomax",
                                               "Jasper Oakeshott"]


def test_commons_turns_locators_and_continuations(commons):
    locators = [p.locator for p in commons.passages]
    assert locators[:5] == ["4711:Q407:0:0", "4711:Q407:1:0", "4711:Q407:2:0", "4711:Q407:3:0", "4711:Q408:0:0"]
    assert len(commons.passages) == 22
    first_answer = commons.passages[1]
    assert first_answer.speaker == "Dr Isla Quarry"
    assert first_answer.text.endswith("running a research team in a university.")  # unlabelled paragraph continues
    # `Then the question is:` is not a speaker: it stays inside Dr Quarry's answer to Q408
    q408 = [p for p in commons.passages if ":Q408:" in p.locator]
    assert [p.speaker for p in q408] == ["Rhiannon Lomax", "Dr Isla Quarry"]
    assert "Then the question is: who owns the project" in q408[1].text
    # a suspension and `On resuming` are procedural, not anyone's words
    assert not any("suspended" in p.text or "On resuming" in p.text for p in commons.passages)
    # the long answer is split at a sentence boundary into two chunks
    long_answer = [p for p in commons.passages if p.locator.startswith("4711:Q411:1:")]
    assert [p.locator for p in long_answer] == ["4711:Q411:1:0", "4711:Q411:1:1"]
    assert all(len(p.text.split()) <= 250 for p in long_answer) and long_answer[1].text.startswith("We will come back")
    assert long_answer[1].context  # the sentences before it


def test_commons_roles_from_the_header(commons):
    roles = {p.speaker: (p.role, p.department) for p in commons.passages}
    assert roles == {
        "Dame Eleri Fairbairn": ("committee_member", None), "Rhiannon Lomax": ("committee_member", None),
        "Jasper Oakeshott": ("committee_member", None), "Tobias Kettleby": ("committee_member", None),
        "Dr Isla Quarry": ("external_witness", "Centre for Invented Studies"),
        "Niall Pemberton": ("external_witness", "Example Institute"),
        "Verity Ashcroft": ("minister", "Cabinet Office"),
        "Sir Hamish Tolley": ("official", "Cabinet Office"),
        "Magnus Reed": ("special_adviser", "Cabinet Office"),
        "Kit Unlisted": ("unknown", None),  # a bold label nobody on the roster answers to: never guessed
    }
    assert sum(1 for p in commons.passages if p.role != "unknown") / len(commons.passages) == 21 / 22


def test_api_witnesses_refine_roles_and_give_ids():
    witnesses = [
        {"id": 1, "personId": 4401, "name": "Verity Ashcroft", "submitterType": "Individual",
         "memberInfo": {"mnisId": 4401, "displayAs": "Verity Ashcroft"}, "additionalContext": None,
         "organisations": [{"name": "Cabinet Office", "role": "Minister for the Cabinet Office", "cisId": 9}]},
        {"id": 2, "personId": None, "name": None, "submitterType": "Organisation", "memberInfo": None,
         "additionalContext": None, "organisations": [{"name": "Example Institute", "role": "Head of Research"}]},
        {"id": 3, "personId": 7, "name": "Sir Hamish Tolley", "submitterType": "Individual", "memberInfo": None,
         "organisations": [{"name": "Cabinet Office", "role": "Cabinet Secretary"}]},
    ]
    api = [Witness.model_validate(w) for w in witnesses]
    transcript = read_transcript(html_blocks(_html("oralevidence-4711.html")), api)
    roster = transcript.roster
    assert roster.resolve("Verity Ashcroft").speaker_id == "mnis:4401"
    pemberton = roster.resolve("Niall Pemberton")  # the API names the body; the header names the person
    assert (pemberton.role, pemberton.post, pemberton.organisation) == ("external_witness", "Head of Research",
                                                                        "Example Institute")
    tolley = roster.resolve("Sir Hamish Tolley")
    assert (tolley.role, tolley.speaker_id) == ("official", "committees:person/7")


def test_lords_layout():
    document = parse_local(_html("oralevidence-4712.html"), "oralevidence-4712.html")
    assert document.title.startswith("Select Committee on Public Institutions: Corrected oral evidence: Ministers")
    assert document.meta["questions"] == [19, 22]
    assert [p.locator for p in document.passages][:3] == ["4712:Q19:0:0", "4712:Q19:1:0", "4712:Q19:2:0"]
    speakers = Counter((p.speaker, p.role) for p in document.passages)
    assert speakers == {("Baroness Penhallow", "committee_member"): 2, ("Lord Brightwater", "external_witness"): 2,
                        ("Professor Ada Merriweather", "external_witness"): 2,
                        ("Lord Vane of Tillington", "committee_member"): 1, ("Baroness Quill", "committee_member"): 1}
    assert not any("transcript" in p.text for p in document.passages)  # the USE OF THE TRANSCRIPT notes


def test_split_panel_both_layouts():
    modern = split_panel("I: Esme Carrow, Director, Civic Trust; and Rt Hon Kit Lomax MP, Minister of State, "
                         "Home Office.", set())
    assert modern == [HeaderWitness("Esme Carrow", "Director, Civic Trust"),
                      HeaderWitness("Kit Lomax", "Minister of State, Home Office")]
    legacy = split_panel("Witnesses: Esme Carrow, Director, Civic Trust, Dr Una Pryce, Reader, University of "
                         "Barchester, and Professor Ivo Marsh, Chair, Data Group, gave evidence.",
                         {"esme carrow", "pryce", "marsh"})
    assert [w.name for w in legacy] == ["Esme Carrow", "Dr Una Pryce", "Professor Ivo Marsh"]
    assert legacy[1].description == "Reader, University of Barchester"


@pytest.mark.parametrize("post, organisation, description, role", [
    ("Minister of State", "Home Office", "", "minister"),
    ("Parliamentary Under-Secretary of State for Skills", None, "", "minister"),
    ("Permanent Secretary", "Department for Education", "", "official"),
    ("Principal Private Secretary to the Prime Minister", None, "", "official"),
    ("Head of Analysis", "HM Treasury", "", "official"),
    ("Special Adviser to the Home Secretary", "Home Office", "", "special_adviser"),
    ("former Permanent Secretary", "Home Office", "", "external_witness"),
    ("Chief Executive", "Civic Reform Trust", "", "external_witness"),
    (None, None, "", "unknown"),
])
def test_role_classes(post, organisation, description, role):
    assert classify(post, organisation, description) == role


def test_department_names_with_commas():
    assert organisation_of(["Parliamentary Under-Secretary of State for Culture", "Communications",
                            "Department for Culture", "Media and Sport"]) == "Department for Culture, Media and Sport"
    assert organisation_of(["Cabinet Secretary and Head of the Civil Service", "Cabinet Office"]) == "Cabinet Office"
    assert organisation_of(["Senior Lecturer", "Research group", "University of Barchester"]) == "University of Barchester"


def test_an_ambiguous_label_resolves_to_nobody():
    roster = Roster([("Ann Marsh", True), ("Bo Lane", False)], [HeaderWitness("Dr Ivo Marsh", "Director, Data Group")])
    assert roster.resolve("Dr Ivo Marsh").role == "external_witness"
    assert roster.resolve("Marsh") is None  # two people called Marsh: no guess
    assert roster.resolve("The Chair").name == "Ann Marsh"


def _pdf_with_furniture() -> bytes:
    pages = []
    body = ["Public Accounts Committee", "Oral evidence: Invented projects, HC 77", "Monday 6 March 2017",
            "Members present: Ann Marsh (Chair); Bo Lane", "Questions 1-3",
            "Witnesses: Dr Ivo Marsh, Director, Data Group, gave evidence.",
            "Q1  Chair: Welcome. Please tell us about the", "project and how it began.",
            "Dr Marsh: It began as a small pilot in one region and grew once the first results were",
            "known.", "Q2  Bo Lane: How much did it cost?", "Dr Marsh: Less than planned, which surprised",
            "everyone.", "Q3  Chair: Thank you."]
    for number, start in enumerate(range(0, len(body), 5), 1):
        lines = [f"{n + 1}  {line}" for n, line in enumerate(body[start:start + 5])]  # numbered lines
        pages.append([f"Oral evidence: Invented projects, HC 77 {number}"] + lines + [f"Page {number} of 3"])
    return write_pdf(pages)


def test_pdf_page_furniture_and_line_numbers_are_removed():
    data = _pdf_with_furniture()
    texts = [b.text for b in pdf_blocks(data, "furniture.pdf")]
    assert "Q1 Chair: Welcome. Please tell us about the project and how it began." in texts
    assert not any("HC 77 " in t or "Page " in t for t in texts)
    document = parse_local(data, "furniture.pdf")
    assert [(p.locator, p.speaker, p.role) for p in document.passages] == [
        ("furniture:Q1:0:0", "Ann Marsh", "committee_member"), ("furniture:Q1:1:0", "Dr Ivo Marsh", "external_witness"),
        ("furniture:Q2:0:0", "Bo Lane", "committee_member"), ("furniture:Q2:1:0", "Dr Ivo Marsh", "external_witness"),
        ("furniture:Q3:0:0", "Ann Marsh", "committee_member")]
    assert document.passages[1].text == ("It began as a small pilot in one region and grew once the first results "
                                         "were known.")


def test_local_formats_are_detected(tmp_path):
    html = _html("oralevidence-4711.html")
    assert detect("oralevidence-4711.html", html) == "committees"
    assert detect("furniture.pdf", _pdf_with_furniture()) == "committees"
    payload = {"fileName": "4711.html", "fileDataFormat": "Html", "data": base64.b64encode(html).decode()}
    raw = json.dumps(payload).encode()
    assert detect("4711.json", raw) == "committees"
    assert len(parse_local(raw, "4711.json").passages) == 22
    with pytest.raises(ParseError):
        detect("notes.html", b"<html><body><p>Nothing to see.</p></body></html>")


def test_a_transcript_without_turns_is_a_parse_error():
    with pytest.raises(ParseError, match="no `Q<n> Name:`"):
        parse_local(b"<html><body><p>Oral evidence: Nothing, HC 1</p><p>Monday 6 March 2017</p></body></html>",
                    "empty.html")


def test_api_item_model_reads_the_real_witness_field_names():
    item = OralEvidenceItem.model_validate({"id": 5, "meetingDate": "2023-03-14T00:00:00", "witnesses": [
        {"organisations": [{"name": "Scope", "role": "Lead Public Affairs Adviser", "idmsId": "https://id.parliament.uk/x",
                            "cisId": 72633}], "submitterType": "Organisation", "additionalContext": None, "id": 127264,
         "personId": None, "name": None, "photoUrl": None, "memberInfo": None}]})
    witness = item.witnesses[0]
    assert (witness.name, witness.submitter_type, witness.organisations[0].cis_id) == (None, "Organisation", 72633)
