"""Hostile input at the parsers, with the limits in settings: each refused or neutralised with a
clear message; and the real 2009 ParlParse files, whose internal DTD declares entities, still parse."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from extractors.errors import ParseError
from extractors.limits import Limits, configure, current
from extractors.neutralise import neutralise, split_text
from extractors.parlparse import parse_sitting
from extractors.passage import Document, Passage
from extractors.xmlsafe import parse_xml
from tests.faults import payloads
from whitehall.settings import Settings

REAL_2009 = ["debates/debates2009-10-28c.xml", "debates/debates2009-10-27d.xml", "debates/debates2009-10-26b.xml",
             "westminhall/westminster2009-10-29a.xml", "lordspages/daylord2009-10-27a.xml",
             "wms/ministerial2009-10-27a.xml", "lordswms/lordswms2009-10-27a.xml"]


@pytest.mark.parametrize("payload, message", [
    (payloads.BILLION_LAUGHS, "refused: entity"),
    (payloads.QUADRATIC, "refused: entity expansion"),
    (payloads.XXE, "refused: external entity declaration (XXE) 'secret'"),
    (payloads.XXE_PARAMETER, "refused: "),
    (payloads.ENTITY_FLOOD, "refused: 500 entity declarations (limit 200)"),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p "x">]><r/>', "refused: parameter entity declaration"),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x"><!ENTITY b "&a;&a;">]><r>&b;</r>',
     "refused: entity 'b' is defined in terms of other entities"),
    (b"<!-- " + b"x" * 300_000 + b' --><!DOCTYPE r [<!ENTITY s SYSTEM "file:///etc/passwd">]><r>&s;</r>',
     "refused: external entity declaration (XXE)"),
    (b"<r>a\x00b</r>", "malformed XML"),
    (b"   \n", "empty document"),
])
def test_hostile_xml_is_refused_with_a_clear_message(payload, message):
    with pytest.raises(ParseError) as caught:
        parse_xml(payload, "hostile.xml")
    assert str(caught.value).startswith("hostile.xml: ") and message in str(caught.value)


def test_an_external_dtd_is_never_fetched_and_its_entities_never_expand():
    root = parse_xml(b'<?xml version="1.0"?><!DOCTYPE r PUBLIC "-//x//y" "http://evil.example/x.dtd">'
                     b"<r>a&x;b</r>", "external-dtd.xml")
    assert "".join(root.itertext()) == "a&x;b"  # the unknown entity stays a literal, unexpanded reference


def test_the_real_2009_parlparse_files_still_parse(real):
    folder = real / "hansard" / "parlparse-2009"
    for relative in REAL_2009:
        raw = (folder / relative).read_bytes()
        assert b"<!ENTITY ndash" in raw[:3000]  # the internal DTD a plain defusedxml default refuses
        root = parse_xml(raw, relative)
        assert root.tag == "publicwhip"
        assert root.getroottree().docinfo.internalDTD is not None
    doc = parse_sitting((folder / REAL_2009[0]).read_bytes(), "debates2009-10-28c.xml")
    assert len(doc.passages) == 1023 and any("—" in p.text or "–" in p.text for p in doc.passages)


def test_the_entity_limit_comes_from_the_settings(real, monkeypatch):
    raw = (real / "hansard" / "parlparse-2009" / REAL_2009[0]).read_bytes()
    monkeypatch.setenv("WHITEHALL_MAX_XML_ENTITY_DECLARATIONS", "20")
    configure(Settings().limits())
    assert current().max_xml_entity_declarations == 20
    with pytest.raises(ParseError, match=r"refused: 53 entity declarations \(limit 20\)"):
        parse_xml(raw, "debates2009-10-28c.xml")
    configure(Limits())
    assert parse_xml(raw, "debates2009-10-28c.xml").tag == "publicwhip"


def test_encoding_faults_are_repaired_and_noted():
    notes: list[str] = []
    root = parse_xml(b'\n\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?><r>caf\xe9 \x93q\x94</r>', "x.xml", notes)
    assert root.text == "café “q”"
    assert notes == ["a stray byte-order mark before the XML declaration was removed",
                     "declared UTF-8 but was Windows-1252: transcoded"]


def _doc(texts: list[str], **fields) -> Document:
    passages = [Passage.build(source="hansard", source_type="debate", document_id="hansard:debates/2026-01-06",
                              locator=f"f.xml:g:{i}", text=t, date=date(2026, 1, 6), **fields)
                for i, t in enumerate(texts)]
    return Document(document_id="hansard:debates/2026-01-06", source="hansard", source_type="debate",
                    item_id="debates/2026-01-06", date=date(2026, 1, 6), passages=passages)


def test_absurdly_long_passages_are_split_not_truncated():
    sentence = "Officials gave candid advice to the minister about the programme. "
    text = sentence * 400 + "y" * 25_000
    doc = neutralise(_doc(["Short one.", text]), Limits(max_passage_chars=5_000))
    parts = doc.passages[1:]
    assert len(parts) >= 7 and all(len(p.text) <= 5_000 for p in parts)
    assert " ".join(p.text for p in parts).replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert parts[0].passage_id == _doc(["Short one.", text]).passages[1].passage_id  # part 1 keeps the id
    assert [p.locator for p in parts[1:3]] == ["f.xml:g:1~2", "f.xml:g:1~3"]
    assert len({p.passage_id for p in doc.passages}) == len(doc.passages)
    assert doc.meta["neutralised"] == {"split_passages": 1, "max_passage_chars": 5_000}
    assert split_text("a" * 12, 5) == ["aaaaa", "aaaaa", "aa"]


def test_control_characters_nul_and_terminal_escapes_never_reach_the_warehouse():
    hostile = "Rt Hon \x1b[2J\x1b]0;owned\x07Minister\x00 \x9b31m"
    doc = _doc(["Text with \x00 NUL, \x1b[31m escapes\x7f and \ufeff BOM."], speaker=hostile, party="Lab\x00")
    doc = doc.model_copy(update={"title": "Title\x1b[1m", "meta": {"k\x00": ["v\x1b", {"x": "\x07"}]}})
    safe = neutralise(doc)
    passage = safe.passages[0]
    assert passage.text == "Text with NUL, [31m escapes and BOM."
    assert passage.speaker == "Rt Hon [2J]0;ownedMinister ›31m" and passage.party == "Lab"
    assert safe.title == "Title[1m" and safe.meta["k"] == ["v", {"x": ""}]
    assert safe.meta["neutralised"]["cleaned_passages"] == 1
    for value in json.dumps(safe.model_dump(mode="json"), ensure_ascii=False):
        assert value >= " " or value in "\n"


def test_duplicate_passage_ids_are_renamed_and_too_many_passages_refused():
    doc = _doc(["One.", "Two."])
    twin = doc.model_copy(update={"passages": [doc.passages[0], doc.passages[0], doc.passages[1]]})
    safe = neutralise(twin)
    assert len({p.passage_id for p in safe.passages}) == 3 and safe.passages[1].locator == "f.xml:g:0~dup2"
    with pytest.raises(ParseError, match=r"refused: 2 passages \(limit 1\)"):
        neutralise(doc, Limits(max_document_passages=1))


def test_whitehall_parse_neutralises_and_refuses(tmp_path):
    from tests.conftest import RECORDED
    from whitehall.cli import app

    item = json.loads((RECORDED / "govuk" / "content-alpha.json").read_text(encoding="utf-8"))
    item["title"] = "A\x1b[2J\x1b]0;owned\x07 title\x00"
    item["details"]["body"] = "<p>Null\x00 and \x1b[31mred\x1b[0m <script>alert(1)</script>words.</p>"
    speech = tmp_path / "speech.json"
    speech.write_text(json.dumps(item), encoding="utf-8")
    sitting = tmp_path / "debates2026-01-06a.xml"
    sitting.write_bytes(b'<publicwhip><speech id="g" speakername="A&#x9b;B"><p pid="1">Words&#x85; here'
                        b"</p></speech></publicwhip>")
    xxe = tmp_path / "debates2026-01-07a.xml"
    xxe.write_bytes(payloads.XXE)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["parse", str(speech), str(sitting), str(xxe), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "refused: external entity declaration (XXE)" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # the HTML parser turns NUL into U+FFFD; ESC is dropped; C1 0x85 is read as cp1252 (an ellipsis)
    assert [r["text"] for r in rows] == ["Null\ufffd and [31mred[0m words.", "Words… here"]
    assert rows[1]["speaker"] == "A›B"
    for row in rows:
        assert not any(ch < " " for value in row.values() if isinstance(value, str) for ch in value)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([speech.name, sitting.name, xxe.name, out.name])
