"""Contract tests: the GOV.UK parser on every real Content API item in ../shared/fixtures/real/govuk-speeches/."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from extractors.errors import ParseError, SkipItem
from extractors.govuk import parse_content
from extractors.govuk_body import body_units
from extractors.govuk_models import Link
from extractors.govuk_roles import RoleBook
from extractors.local_files import detect, parse_local

SPEECHES = {  # file: (speaker, delivered_on as a London date, passages, role with the role book)
    "speech.json": ("Andrea Leadsom", "2016-02-02", 43, "unknown"),
    "speech-transcript.json": ("David Cameron", "2016-05-12", 73, "minister"),
    "speech-speaking-notes.json": ("Theresa May", "2016-05-24", 52, "unknown"),
    "speech-speaker-without-profile.json": ("Her Majesty the Queen", "2016-05-18", 43, "unknown"),
    "speech-authored-article.json": ("David Cameron", "2016-04-05", 16, "minister"),
    "speech-oral-statement-parliament.json": ("Elizabeth Truss", "2016-12-19", 36, "unknown"),
    "speech-written-statement-parliament.json": ("Nick Gibb", "2016-12-20", 10, "unknown"),
    "best-practice-oral-statement.json": ("Theresa May", "2014-04-30", 22, "minister"),
    "best-practice-written-statement.json": ("Robert Goodwill", "2014-04-01", 10, "minister"),
    "best-practice-speaking-notes.json": ("Lord McNally", "2012-05-22", 18, "minister"),
    "speech-with-updates.json": ("Lord McNally", "2012-05-22", 18, "minister"),
}
SKIPPED = {"speech-translated.json": "translation", "withdrawn-speech.json": "withdrawn"}
REFERENCE = {"role-prime_minister.json", "ministers_index-reshuffle-mode-off.json"}  # not speeches


@pytest.fixture(scope="module")
def content(real) -> Path:
    return real / "govuk-speeches" / "content-api"


@pytest.fixture(scope="module")
def book(content) -> RoleBook:
    roles = RoleBook()
    roles.add_content_item((content / "role-prime_minister.json").read_bytes())
    roles.add_content_item((content / "ministers_index-reshuffle-mode-off.json").read_bytes())
    return roles


def _parse(content: Path, name: str, book: RoleBook | None = None):
    return parse_content((content / name).read_bytes(), name, book)


def test_every_real_content_item_is_accounted_for(content):
    assert {p.name for p in content.glob("*.json")} == set(SPEECHES) | set(SKIPPED) | REFERENCE


@pytest.mark.parametrize("name", sorted(SPEECHES))
def test_speaker_date_count_and_role_of_each_speech(content, book, name):
    speaker, day, count, role = SPEECHES[name]
    doc = _parse(content, name, book)
    item = json.loads((content / name).read_bytes())
    assert doc.document_id == f"govuk:{item['content_id']}" and doc.item_id == item["base_path"]
    assert doc.date == date.fromisoformat(day)
    assert len(doc.passages) == count
    assert {p.speaker for p in doc.passages} == {speaker}
    assert {p.role for p in doc.passages} == {role}
    assert all(p.party is None and p.source_type == "speech" for p in doc.passages)  # party is not on GOV.UK
    assert [p.locator.split("#")[0] for p in doc.passages] == [f"{item['content_id']}:{i}" for i in range(count)]
    assert doc.meta["document_type"] == item["document_type"]


def test_leadsom_speech_locators_meta_and_no_guessed_role(content, book):
    doc = _parse(content, "speech.json", book)
    first, last = doc.passages[0], doc.passages[-1]
    assert first.locator == "b22d5555-096a-4793-9f4d-779644191054:0#introduction"
    assert first.url == ("https://www.gov.uk/government/speeches/"
                         "andrea-leadsoms-speech-at-women-in-nuclear-uk-conference#introduction")
    assert first.text.startswith("I am very pleased to be here today supporting Women in Nuclear UK")
    assert last.locator == "b22d5555-096a-4793-9f4d-779644191054:42#conclusion"
    assert first.speaker_id == "govuk:person/853df7fd-c0f1-11e4-8223-005056011aef"
    assert first.department == "Department of Energy & Climate Change"
    assert doc.meta["speech_type_explanation"] == "Original script, may differ from delivered version"
    assert doc.meta["location"].startswith("Women in Nuclear UK Conference, Church House")
    assert doc.meta["speaker_title"] == "The Rt Hon Andrea Leadsom MP"
    # links.people but no links.roles, and no appointment data for her: role unknown, not guessed
    assert first.role == "unknown" and doc.meta["role_title"] is None


def test_transcript_role_at_date_comes_from_the_prime_minister_role_appointments(content, book):
    doc = _parse(content, "speech-transcript.json", book)
    assert doc.meta["speech_type_explanation"] == "Transcript of the speech, exactly as it was delivered"
    assert doc.meta["location"] == "Anti-Corruption Summit, Lancaster House, London"
    assert (doc.meta["role_title"], doc.meta["role_source"]) == ("Prime Minister", "role_appointments")
    assert doc.passages[0].locator == "f1f8bc2e-0e64-46f1-b56d-fe71d79b2ae1:0#introduction"
    assert doc.passages[0].text.startswith("Today the world has come together in a coalition of the committed")
    assert doc.passages[-1].locator.endswith(":72#next-steps")
    assert doc.passages[0].department == "Prime Minister's Office, 10 Downing Street"
    # without the appointments the speech alone does not say: unknown
    assert {p.role for p in _parse(content, "speech-transcript.json").passages} == {"unknown"}


def test_speaking_notes_whitehall_passages_keep_their_h3_section(content):
    doc = _parse(content, "speech-speaking-notes.json")
    assert doc.meta["speech_type_explanation"] == "Speaker's notes, may differ from delivered version"
    assert doc.date == date(2016, 5, 24)  # delivered_on 2016-05-24T00:00:00+01:00, published the 26th
    whitehall = [p for p in doc.passages if "Whitehall" in p.text]
    assert [p.locator.split(":")[1] for p in whitehall] == [
        "15#the-importance-of-police-and-crime-commissioners", "49#conclusion", "50#conclusion"]
    assert whitehall[1].text.startswith("Do not seek permission. Don’t look to the Home Office.")
    assert whitehall[1].context.endswith("And if I could offer one message, one word of advice, to hold with you"
                                         " over the next 4 years, it would be this.")
    assert "(APCC) general meeting" in doc.passages[0].text  # <abbr> text kept inline


def test_speaker_without_profile_is_kept_with_role_unknown(content, book):
    doc = _parse(content, "speech-speaker-without-profile.json", book)
    assert doc.title == "Queen's Speech 2016"
    assert {(p.speaker, p.speaker_id, p.role) for p in doc.passages} == {("Her Majesty the Queen", None, "unknown")}
    assert doc.meta["speaker_without_profile"] == "Her Majesty the Queen"
    assert doc.meta["location"] == "House of Lords, Houses of Parliament"
    assert doc.passages[0].text == "My Lords and Members of the House of Commons."


def test_authored_article_is_dated_by_delivery_and_resolved_to_the_prime_minister(content, book):
    doc = _parse(content, "speech-authored-article.json", book)
    assert doc.meta["document_type"] == "authored_article" and doc.title.endswith("(Archived)")
    assert doc.meta["role_title"] == "Prime Minister"
    assert doc.passages[0].text.startswith("Imagine a world where a British airline")


def test_statements_to_parliament_lists_tables_and_headings(content):
    oral = _parse(content, "speech-oral-statement-parliament.json")
    assert oral.passages[3].locator == "d89435af-d77e-41f7-a945-4c63878007fd:3#sequence-of-events"
    assert oral.passages[-1].text == "I commend this statement to the House."
    written = _parse(content, "speech-written-statement-parliament.json")
    assert written.meta["location"] == "House of Commons"
    assert not any("Disadvantaged pupils: primary" in p.text for p in written.passages)  # table cells left out
    goodwill = _parse(content, "best-practice-written-statement.json")
    bullets = [p.text for p in goodwill.passages[4:8]]  # <li> items are passages of their own
    assert bullets == ["the cycling time trials at Muirhead", "the triathlon events at Strathclyde Country Park",
                       "the diving competition at the Royal Commonwealth Pool in Edinburgh",
                       "the shooting competition at the Barry Buddon range near Dundee"]
    assert goodwill.meta["role_title"] == "Parliamentary Under Secretary of State for Transport"
    assert goodwill.passages[0].department == "Department for Transport"  # primary publishing organisation


def test_london_date_of_a_midnight_bst_delivery_and_role_from_links(content):
    doc = _parse(content, "best-practice-oral-statement.json")
    assert doc.meta["delivered_on"] == "2014-04-30T00:00:00+01:00"  # 23:00 on the 29th in UTC
    assert doc.date == date(2014, 4, 30)
    assert (doc.meta["role_title"], doc.meta["role_source"]) == ("Secretary of State for the Home Department",
                                                                  "links.roles")
    assert doc.passages[0].speaker_id == "govuk:person/85291e63-c0f1-11e4-8223-005056011aef"


def test_updated_item_keeps_its_document_id_with_a_newer_version(content):
    old = _parse(content, "best-practice-speaking-notes.json")
    new = _parse(content, "speech-with-updates.json")
    assert old.document_id == new.document_id == "govuk:5dffd904-7631-11e4-a3cb-005056011aef"
    assert (old.version, new.version) == ("2012-05-22T00:00:00Z", "2012-06-13T13:33:09Z")
    assert old.version < new.version and (old.meta["change_notes"], new.meta["change_notes"]) == (1, 2)
    # only a PDF was added: the same passages, so loading the newer copy changes nothing
    assert old.content_hash == new.content_hash


def test_translation_and_withdrawn_items_are_skipped(content):
    with pytest.raises(SkipItem) as translated:
        _parse(content, "speech-translated.json")
    assert translated.value.reason == "translation" and "'ar'" in str(translated.value)
    with pytest.raises(SkipItem) as withdrawn:
        _parse(content, "withdrawn-speech.json")
    assert withdrawn.value.reason == "withdrawn" and "2018-05-15T11:29:10Z" in str(withdrawn.value)
    # the same statement before withdrawal carries `withdrawn_notice: {}` and parses
    assert len(_parse(content, "best-practice-oral-statement.json").passages) == 22


def test_quoted_paragraphs_are_counted_once(content):
    body = json.loads((content / "speech-translated.json").read_bytes())["details"]["body"]
    units = body_units(body)  # 7 <p>, 6 of them inside a <blockquote>
    assert len(units) == 7 and len({u.text for u in units}) == 7


def test_reference_items_are_not_speeches(content):
    with pytest.raises(ParseError, match="schema 'role' is not the speech schema"):
        _parse(content, "role-prime_minister.json")


def test_role_book_reads_role_and_ministers_index_shapes(book):
    sunak, hart = Link(base_path="/government/people/rishi-sunak"), Link(base_path="/government/people/simon-hart")
    assert book.role_at(sunak, date(2020, 3, 1)).role_title == "Chancellor of the Exchequer"
    assert book.role_at(sunak, date(2022, 11, 1)).role_title == "Prime Minister"  # not First Lord: seniority
    assert book.role_at(sunak, date(2022, 8, 1)) is None  # between offices
    assert book.role_at(hart, date(2019, 7, 27)).role_title == "Parliamentary Secretary (Minister for Implementation)"
    cspl = book.role_at(hart, date(2018, 1, 1))  # a board-member role: its kind is not known, not guessed
    assert (cspl.role_title, cspl.kind) == ("Member, Committee on Standards in Public Life", "unknown")
    cameron = Link(content_id="8529186b-c0f1-11e4-8223-005056011aef")
    assert book.role_at(cameron, date(2016, 7, 13)).role_title == "Prime Minister"
    assert book.role_at(cameron, date(2016, 7, 14)) is None


def test_local_files_detects_and_parses_a_content_item(content):
    path = content / "speech.json"
    assert detect(path.name, path.read_bytes()) == "govuk"
    assert len(parse_local(path).passages) == 43


def test_coverage_of_speaker_and_role(content, book):
    passages = [p for name in SPEECHES for p in _parse(content, name, book).passages]
    with_speaker = sum(bool(p.speaker) for p in passages) / len(passages)
    with_person = sum(bool(p.speaker_id) for p in passages) / len(passages)
    with_role = sum(p.role != "unknown" for p in passages) / len(passages)
    print(f"\nGOV.UK real fixtures: {len(passages)} passages in {len(SPEECHES)} items; "
          f"speaker {with_speaker:.1%}, person id {with_person:.1%}, role {with_role:.1%}")
    assert len(passages) == 341
    assert with_speaker == 1.0
    assert round(with_person, 3) == round(298 / 341, 3)
    assert round(with_role, 3) == round(157 / 341, 3)
    without_book = [p for name in SPEECHES for p in _parse(content, name).passages]
    assert sum(p.role != "unknown" for p in without_book) == 157 - 16 - 73  # Cameron needs the appointments
