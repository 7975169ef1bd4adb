"""The tantivy index: ranked phrase search with filters, kept up to date incrementally."""

from __future__ import annotations

import re
from datetime import date

import pytest

from extractors.passage import Passage
from tests.small_warehouse import invented_documents, load
from warehouse.db import open_db
from warehouse.kwic import kwic
from warehouse.search_index import open_index, search, upkeep


def _files(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def work(tmp_path):
    con = open_db(tmp_path / "work.duckdb")
    load(con, invented_documents())
    return con, tmp_path / "search"


def _phrase_count(con, pattern: str, where: str = "true") -> int:
    return con.execute(f"SELECT count(*) FROM v_passages WHERE regexp_matches(text, ?, 'i') AND {where}",
                       [pattern]).fetchone()[0]


def test_a_phrase_finds_exactly_the_passages_that_hold_it_ranked(work):
    con, folder = work
    stats = upkeep(con, folder)
    assert stats.rebuilt and stats.indexed == stats.added == 192
    index = open_index(folder)
    total, hits = search(index, "permanent secretary", limit=200)
    assert total == _phrase_count(con, r"\bpermanent secretar(y|ies)\b") > 0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for h in hits:
        left, keyword, right = kwic(h.text, h.matches)
        assert re.fullmatch(r"(?i)permanent secretar(y|ies)", keyword), keyword
        assert (left + keyword + right).replace("…", "").strip() in h.text
        assert h.url.startswith("https://example.org/") and h.speaker


def test_stems_match_and_filters_narrow_without_reranking(work):
    con, folder = work
    upkeep(con, folder)
    index = open_index(folder)
    total, _ = search(index, "officials", limit=500)
    assert total == _phrase_count(con, r"\bofficials?\b")  # 'official' and 'officials' share a stem
    frame, expected = con.execute(  # the frame most often beside 'officials' in this warehouse
        "SELECT label, list(passage_id) FROM v_passage_evidence JOIN v_passages USING (passage_id)"
        " WHERE label NOT IN ('relevant') AND regexp_matches(text, '(?i)\\bofficials?\\b')"
        " GROUP BY label ORDER BY count(*) DESC, label LIMIT 1").fetchone()
    _, framed = search(index, "officials", frame=frame, limit=500)
    assert {h.passage_id for h in framed} == set(expected)
    _, dated = search(index, "officials", since=date(2024, 1, 1), until=date(2024, 6, 30), limit=500)
    assert dated and all(date(2024, 1, 1) <= h.date <= date(2024, 6, 30) for h in dated)
    _, spoken = search(index, "officials", speaker="dee witness", limit=500)
    assert spoken and {h.speaker for h in spoken} == {"Dr Dee Witness"}
    _, typed = search(index, "officials", source_type="committee_evidence", limit=500)
    assert typed and {h.source_type for h in typed} == {"committee_evidence"}


def test_query_syntax_passes_through_and_an_empty_search_is_an_error(work):
    con, folder = work
    upkeep(con, folder)
    index = open_index(folder)
    total, hits = search(index, "blob AND officials", limit=100)
    assert total and all(re.search(r"(?i)\bblob", h.text) and re.search(r"(?i)\bofficial", h.text) for h in hits)
    with pytest.raises(ValueError, match="empty"):
        search(index, "  ")


def test_a_no_op_upkeep_touches_nothing_and_a_change_updates_only_what_changed(work):
    con, folder = work
    upkeep(con, folder)
    before = _files(folder)
    again = upkeep(con, folder)
    assert not again.changed and (again.added, again.deleted) == (0, 0)
    assert _files(folder) == before

    docs = invented_documents()
    doc = docs[0]
    kept = doc.passages[1:-1]  # drop the first and last passage
    new = Passage.build(source=doc.source, source_type=doc.source_type, document_id=doc.document_id,
                        locator="new:0", text="A wholly new zebra crossing paragraph about officials.",
                        date=doc.date, speaker="Ann Minister", role="minister", party="Labour")
    load(con, [doc.model_copy(update={"version": "b", "passages": [*kept, new]})])
    stats = upkeep(con, folder)
    assert not stats.rebuilt and stats.added == 1 and stats.deleted == 2
    assert stats.indexed == 192 - 1
    index = open_index(folder)
    assert search(index, "zebra crossing")[0] == 1
    gone = {doc.passages[0].passage_id, doc.passages[-1].passage_id}
    _, hits = search(index, "the", limit=1000)
    assert not gone & {h.passage_id for h in hits}


def test_a_lost_index_is_rebuilt(work):
    con, folder = work
    upkeep(con, folder)
    (folder / "whitehall-index.json").unlink()
    stats = upkeep(con, folder)
    assert stats.rebuilt and stats.indexed == 192
    assert search(open_index(folder), "permanent secretary")[0] > 0


def test_kwic_cuts_at_words_and_joins_a_phrase():
    text = "Alpha beta gamma delta. The permanent secretary said no to everything the minister asked for today."
    start = text.index("permanent")
    matches = [(start, start + 9), (start + 10, start + 19), (text.index("Alpha"), 5)]
    left, keyword, right = kwic(text, matches, width=20)
    assert keyword == "permanent secretary"
    assert left.startswith("…") and left.endswith("The ")
    assert right.endswith("…") and right.startswith(" said no")
    assert kwic("No match here.", [])[1] == ""


def test_a_run_that_changed_nothing_leaves_the_index_alone_unless_it_needs_repair(work):
    from warehouse.search_index import PENDING_FILE
    from warehouse.upkeep import after_load

    con, folder = work
    assert after_load(con, folder, changed=False).search["rebuilt"]  # no index yet: built anyway
    files = _files(folder)
    assert after_load(con, folder, changed=False).search is None and _files(folder) == files
    con.execute("DELETE FROM passages WHERE passage_id = (SELECT min(passage_id) FROM passages)")
    (folder / PENDING_FILE).touch()  # an upkeep that died half-way: the next run redoes it
    repaired = after_load(con, folder, changed=False).search
    assert repaired["deleted"] == 1 and not (folder / PENDING_FILE).exists()
    assert after_load(con, folder, changed=True).search["deleted"] == 0  # a changed run always checks
