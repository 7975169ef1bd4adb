"""The loader on reruns and changes: nothing duplicated, changed documents replaced, ids kept."""

from __future__ import annotations

from datetime import date

import pytest


from classifiers.keywords import KeywordClassifier
from extractors.acquire import Outcome
from extractors.base import ItemRef
from extractors.passage import Document, Passage
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, UnlabelledPassagesError, commit_batch, label_batch, plan_batch
from warehouse.ledger import ReconciliationError, RunLedger, begin_run
from warehouse.model_registry import register_model

CLASSIFIER = KeywordClassifier()


def doc(texts: list[str], version: str = "a", doc_id: str = "hansard:debates/2020-01-01") -> Document:
    passages = [Passage.build(source="hansard", source_type="debate", document_id=doc_id,
                              locator=f"debates2020-01-01{version}.xml:g{i}:p{i}", text=t,
                              date=date(2020, 1, 1), speaker="A Member", role="backbench_mp")
                for i, t in enumerate(texts)]
    return Document(document_id=doc_id, source="hansard", source_type="debate", item_id=doc_id,
                    version=version, date=date(2020, 1, 1), passages=passages)


def outcome(document: Document, cursor: str = "001", item: str | None = None, state: str = "parsed") -> Outcome:
    ref = ItemRef("hansard", item or document.document_id + document.version, "http://x/" + (item or "d"), cursor)
    return Outcome(ref, state, document=document if state == "parsed" else None, raw_sha256="ab" * 32)


@pytest.fixture
def con(tmp_path):
    con = open_db(tmp_path / "w.duckdb")
    register_model(con, CLASSIFIER.model_version, CLASSIFIER.codebook_version, "keywords")
    return con


def run(con, outcomes: list[Outcome], progress: SourceProgress | None = None) -> RunLedger:
    ledger = RunLedger(begin_run(con, "test", "replay"))
    ledger.discover("hansard", len(outcomes))
    progress = progress or SourceProgress("hansard", None)
    batch = plan_batch(con, outcomes, CLASSIFIER.model_version)
    commit_batch(con, ledger, progress, batch, label_batch(batch, CLASSIFIER))
    ledger.reconcile()
    return ledger


def snapshot(con):
    return (con.execute("SELECT passage_id, content_hash, text FROM passages ORDER BY 1").fetchall(),
            con.execute("SELECT passage_id, model_version, label, probability, decision FROM labels ORDER BY 1, 2, 3").fetchall())


TEXTS = ["The civil service blob resists reform.", "Potholes in Penrith.", "Officials gave frank advice."]


def test_loading_the_same_document_twice_changes_nothing(con):
    first = run(con, [outcome(doc(TEXTS))])
    assert first.counts()["loaded"] == 1
    before = snapshot(con)
    second = run(con, [outcome(doc(TEXTS))])
    assert second.counts()["unchanged"] == 1 and second.counts()["loaded"] == 0
    assert snapshot(con) == before
    assert con.execute("SELECT count(*) FROM passages").fetchone()[0] == 3
    assert con.execute("SELECT count(*) FROM v_passage_labels").fetchone()[0] == 3


def test_a_changed_document_replaces_its_passages_and_keeps_ids_of_unchanged_text(con):
    run(con, [outcome(doc(TEXTS))])
    old_ids = dict(con.execute("SELECT text, passage_id FROM passages").fetchall())
    changed = ["The civil service blob resists reform.", "Officials gave frank advice.", "A new paragraph on whips."]
    ledger = run(con, [outcome(doc(changed, version="b"))])
    assert ledger.counts()["loaded"] == 1 and ledger.passages_removed == 3
    rows = dict(con.execute("SELECT text, passage_id FROM passages").fetchall())
    assert set(rows) == set(changed)
    assert rows[changed[0]] == old_ids[changed[0]] and rows[changed[1]] == old_ids[changed[1]]
    assert rows[changed[2]] not in old_ids.values()
    # the labels follow the text: carried-over passages were not relabelled, and every current passage is labelled
    assert con.execute("SELECT count(*) FROM v_passage_labels").fetchone()[0] == 3
    assert con.execute("SELECT count(DISTINCT passage_id) FROM labels").fetchone()[0] == 4  # history kept


def test_an_older_version_never_replaces_a_newer_one(con):
    run(con, [outcome(doc(TEXTS, version="b"))])
    ledger = run(con, [outcome(doc(["An older text."], version="a"), item="older")])
    assert ledger.records[("hansard", "older")].state == "skipped"
    assert ledger.records[("hansard", "older")].reason == "superseded"
    assert {r[0] for r in con.execute("SELECT text FROM passages").fetchall()} == set(TEXTS)


def test_watermark_stops_before_a_transient_failure(con):
    outcomes = [outcome(doc(TEXTS, doc_id="hansard:debates/d1"), cursor="001", item="i1"),
                Outcome(ItemRef("hansard", "i2", "http://x/2", "002"), "failed_transient", error="503"),
                outcome(doc(TEXTS, doc_id="hansard:debates/d3"), cursor="003", item="i3")]
    progress = SourceProgress("hansard", None)
    ledger = run(con, outcomes, progress)
    assert ledger.counts() == {"discovered": 3, "loaded": 2, "unchanged": 0, "skipped": 0,
                               "quarantined": 0, "failed_transient": 1}
    assert con.execute("SELECT cursor FROM watermarks WHERE source = 'hansard'").fetchone()[0] == "001"
    assert progress.blocked


def test_quarantined_items_are_recorded_with_their_raw_hash(con):
    bad = Outcome(ItemRef("hansard", "bad", "http://x/bad", "001"), "quarantined",
                  raw_sha256="cd" * 32, error="bad.xml: malformed XML", stage="parse")
    run(con, [bad, outcome(doc(TEXTS), cursor="002")])
    row = con.execute("SELECT item_id, stage, error, raw_sha256 FROM quarantine").fetchone()
    assert row == ("bad", "parse", "bad.xml: malformed XML", "cd" * 32)
    assert con.execute("SELECT cursor FROM watermarks").fetchone()[0] == "002"


def test_a_batch_without_labels_loads_nothing(con):
    ledger = RunLedger(begin_run(con, "test", "replay"))
    batch = plan_batch(con, [outcome(doc(TEXTS))], CLASSIFIER.model_version)
    with pytest.raises(UnlabelledPassagesError):
        commit_batch(con, ledger, SourceProgress("hansard", None), batch, {})
    assert con.execute("SELECT count(*) FROM passages").fetchone()[0] == 0


def test_a_run_that_does_not_reconcile_fails_loudly():
    ledger = RunLedger(1)
    ledger.discover("hansard", 2)
    with pytest.raises(ReconciliationError, match="discovered 2 but 0 settled"):
        ledger.reconcile()


def test_labels_carry_model_and_codebook_version(con):
    run(con, [outcome(doc(TEXTS))])
    versions = con.execute("SELECT DISTINCT model_version, codebook_version FROM labels").fetchall()
    assert versions == [(CLASSIFIER.model_version, CLASSIFIER.codebook_version)]
    assert label_batch(plan_batch(con, [outcome(doc(TEXTS))], CLASSIFIER.model_version), CLASSIFIER) == {}

