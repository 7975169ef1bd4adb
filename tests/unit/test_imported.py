"""Validating `whitehall import` lines: good lines become documents, bad ones say why and where."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from extractors.imported import default_name, import_source, parse_import

GOOD = {"id": "q-17", "text": "The permanent secretary gave  frank advice.", "date": "2023-03-28",
        "speaker": "A Member", "role": "backbench_mp", "party": "Labour", "context": "Before.",
        "url": "https://example.org/q-17", "source_type": "committee_evidence"}


def lines(*records) -> bytes:
    return b"\n".join(r if isinstance(r, bytes) else json.dumps(r).encode() for r in records) + b"\n"


def test_a_good_line_becomes_one_document_of_one_passage():
    parsed = parse_import(lines(GOOD, {"id": 18, "text": "Officials.", "date": "2024-01-02T10:00:00"}), "mine")
    assert parsed.source == "import:mine" and parsed.problems == [] and parsed.lines == 2
    (_, doc), (_, second) = parsed.documents
    assert (doc.document_id, doc.item_id, doc.source_type, doc.date) == ("import:mine:q-17", "q-17",
                                                                          "committee_evidence", date(2023, 3, 28))
    (passage,) = doc.passages
    assert passage.text == "The permanent secretary gave frank advice."
    assert (passage.speaker, passage.role, passage.party, passage.context, passage.url) == (
        "A Member", "backbench_mp", "Labour", "Before.", "https://example.org/q-17")
    assert second.item_id == "18" and second.source_type == "debate" and second.passages[0].role == "unknown"
    assert second.passages[0].party is None


def test_the_same_line_gives_the_same_ids_and_hashes():
    a = parse_import(lines(GOOD), "mine").documents[0][1]
    b = parse_import(b"\n\n" + lines(GOOD), "mine").documents[0][1]        # moved down two lines
    assert a.content_hash == b.content_hash and a.passages[0].passage_id == b.passages[0].passage_id


@pytest.mark.parametrize("raw, reason", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "not a JSON object but list"),
    (b"\xff\xfe{}", "not valid UTF-8"),
    (json.dumps({"text": "x", "date": "2024-01-01"}).encode(), "missing required field id"),
    (json.dumps({"id": "a"}).encode(), "missing required fields text, date"),
    (json.dumps({"id": "a", "text": "x", "date": "28/03/2023"}).encode(), "is not an ISO date"),
    (json.dumps({"id": "a", "text": "x", "date": 20230328}).encode(), "date must be an ISO date string"),
    (json.dumps({"id": True, "text": "x", "date": "2024-01-01"}).encode(), "id must be a string or an integer"),
    (json.dumps({"id": "a", "text": "   ", "date": "2024-01-01"}).encode(), "text must be a non-empty string"),
    (json.dumps({"id": "a", "text": "x", "date": "2024-01-01", "role": "pm"}).encode(), "role 'pm' is not one of"),
    (json.dumps({"id": "a", "text": "x", "date": "2024-01-01", "source_type": "tweet"}).encode(),
     "source_type 'tweet' is not one of"),
    (json.dumps({"id": "a", "text": "x", "date": "2024-01-01", "party": 3}).encode(), "party must be a string"),
])
def test_bad_lines_are_reported_with_their_line_number_and_reason(raw, reason):
    parsed = parse_import(lines(GOOD, raw), "mine")
    assert len(parsed.documents) == 1
    (problem,) = parsed.problems
    assert problem.line == 2 and reason in problem.reason
    assert problem.error.startswith("line 2: ") and problem.item_id == "line:2"


def test_a_repeated_id_is_a_bad_line_pointing_at_the_first():
    parsed = parse_import(lines(GOOD, {"id": "other", "text": "y", "date": "2024-01-01"}, b"", GOOD), "mine")
    assert [p.error for p in parsed.problems] == ["line 4: duplicate id 'q-17' (first on line 1)"]
    assert parsed.lines == 3                                                 # the blank line is no item


def test_parse_output_chains_into_import():
    record = {"id": "p123", "passage_id": "p123", "document_id": "hansard:x", "source": "hansard",
              "source_type": "debate", "url": None, "locator": "x:1", "date": "2020-01-01", "speaker": "S",
              "speaker_id": "uk.org.publicwhip/person/1", "role": "minister", "party": None,
              "department": None, "text": "Officials advised.", "context": "", "content_hash": "abc"}
    assert parse_import(lines(record), "mine").problems == []


def test_import_names():
    assert import_source("team-a_2.0") == "import:team-a_2.0"
    with pytest.raises(ValueError, match="import name"):
        import_source("Has Spaces")
    assert default_name(Path("/x/My Corpus (v2).jsonl")) == "my-corpus-v2"
