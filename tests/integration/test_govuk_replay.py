"""GOV.UK on the synthetic sample archive: replayed discovery and parsing match the truth, an
updated item replaces its older version, and the nightly flow loads the source incrementally."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date

import duckdb
import pytest

from classifiers.keywords import KeywordClassifier
from extractors.acquire import Outcome, acquire, parse_raw
from extractors.archive import RawArchive
from extractors.base import ItemRef, RawItem
from extractors.http import HttpClient
from extractors.registry import build_extractors
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, commit_batch, label_batch, plan_batch
from warehouse.ledger import RunLedger, begin_run
from warehouse.model_registry import register_model


@pytest.fixture(scope="module")
def replayed(sample_archive):
    """Every govuk item the archive's listings hold, discovered and parsed as the flow would."""
    archive = RawArchive(sample_archive)
    client = HttpClient.replay(archive)
    extractor = build_extractors(["govuk"])["govuk"]
    refs = extractor.discover(client, None)
    outcomes = [acquire(extractor, client, ref) for ref in refs]
    yield archive, client, extractor, refs, outcomes
    client.close()
    archive.close()


def test_replayed_items_match_the_truth_rows(replayed, sample_archive):
    _, client, extractor, refs, outcomes = replayed
    truth = defaultdict(list)
    for line in (sample_archive / "truth.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["source"] == "govuk":
            truth[row["item"]].append(row)
    # every item with truth rows, plus the translation, the withdrawn item and the 410
    assert len(refs) == len({r.item_id for r in refs}) == len(truth) + 3
    skipped = {o.ref.item_id.rsplit("/", 1)[-1]: o.reason for o in outcomes if o.state == "skipped"}
    assert sorted(skipped.values()) == ["gone", "translation", "withdrawn"]
    assert [name for name, reason in skipped.items() if reason == "translation"][0].endswith(".cy")
    documents = {o.ref.item_id: o.document for o in outcomes if o.state == "parsed"}
    assert set(truth) == set(documents)
    for item, rows in truth.items():
        doc = documents[item]
        assert [r["index"] for r in rows] == [int(p.locator.split(":")[1].split("#")[0]) for p in doc.passages]
        assert {r["date"] for r in rows} == {doc.date.isoformat()}
    passages = [p for d in documents.values() for p in d.passages]
    assert len(passages) == sum(len(rows) for rows in truth.values()) > 1000
    # every invented speaker is a minister of the day: from links.roles, else their person page
    assert Counter(p.role for p in passages) == {"minister": len(passages)}
    sources = Counter(d.meta["role_source"] for d in documents.values())
    assert set(sources) == {"links.roles", "role_appointments"} and min(sources.values()) > 10
    assert all(p.speaker and p.speaker_id and p.department and p.party is None for p in passages)
    assert Counter(d.meta["document_type"] for d in documents.values()).keys() == {
        "speech", "oral_statement", "written_statement", "authored_article"}
    assert min(d.date for d in documents.values()) >= date(2016, 1, 1)
    assert max(d.date for d in documents.values()) <= date(2026, 9, 30)
    assert extractor.discover(client, refs[-1].cursor) == []  # nothing after the watermark
    since = extractor.cursor_from_date(date(2026, 7, 1))
    assert 0 < len(extractor.discover(client, since)) < 10


def _load(con, documents) -> RunLedger:
    """Plan, label (keyword baseline) and commit parsed documents, as the flow's load step does."""
    classifier = KeywordClassifier()
    ledger = RunLedger(begin_run(con, "test", "replay"))
    ledger.discover("govuk", len(documents))
    outcomes = [Outcome(ItemRef("govuk", d.item_id, d.url, d.version), "parsed", document=d, raw_sha256="ab" * 32)
                for d in documents]
    batch = plan_batch(con, outcomes, classifier.model_version)
    commit_batch(con, ledger, SourceProgress("govuk", None), batch, label_batch(batch, classifier))
    ledger.reconcile()
    return ledger


def test_an_updated_item_replaces_its_passages_and_a_stale_copy_never_wins(replayed, tmp_path):
    archive, _, extractor, refs, _ = replayed
    versions = defaultdict(list)
    for entry in archive.entries(source="govuk"):
        if "/api/content/government/speeches/" in entry.url:
            versions[entry.url].append(entry)
    (url, entries), = [(u, e) for u, e in versions.items() if len(e) == 2]
    ref = next(r for r in refs if r.url == url)
    old, new = (parse_raw(extractor, RawItem(ref, archive.read(e.sha256), e.sha256)).document for e in entries)
    assert old.document_id == new.document_id and old.version < new.version == ref.version
    assert len(new.passages) == len(old.passages) + 1
    con = open_db(tmp_path / "w.duckdb")
    classifier = KeywordClassifier()
    register_model(con, classifier.model_version, classifier.codebook_version, "keywords")

    def stored():
        return con.execute("SELECT passage_id, text FROM passages WHERE document_id = ? ORDER BY seq",
                           [new.document_id]).fetchall()

    assert _load(con, [old]).counts()["loaded"] == 1
    first = stored()
    assert _load(con, [new]).counts()["loaded"] == 1
    second = stored()
    assert [t for _, t in second] == [p.text for p in new.passages]  # replaced, no duplicates
    kept = {t: pid for pid, t in first}
    assert sum(kept.get(t) == pid for pid, t in second) == len(old.passages) - 1  # unchanged texts keep ids
    stale = _load(con, [old])
    assert (stale.counts()["skipped"], stale.skip_reasons()) == (1, {"superseded": 1})
    assert stored() == second
    con.close()


@pytest.mark.slow
def test_nightly_flow_loads_govuk_then_nothing_new(data_dir, prefect_harness):
    from flows.nightly import nightly

    truth = [json.loads(line) for line in (data_dir / "archive" / "truth.jsonl").read_text().splitlines()]
    items = {r["item"] for r in truth if r["source"] == "govuk"}
    n_passages = sum(r["source"] == "govuk" for r in truth)
    first = nightly(transport="replay", since=date(2016, 1, 1), sources=["govuk"])
    assert first["totals"] == {"discovered": len(items) + 3, "loaded": len(items), "unchanged": 0,
                               "skipped": 3, "quarantined": 0, "failed_transient": 0}
    assert first["skip_reasons"] == {"gone": 1, "translation": 1, "withdrawn": 1}
    with duckdb.connect(str(data_dir / "whitehall.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT count(*), count(DISTINCT document_id), min(date), max(date), count(role)"
                           " FILTER (WHERE role = 'minister') FROM v_passages WHERE source = 'govuk'").fetchone()
        assert rows[:2] == (n_passages, len(items)) and rows[4] == n_passages
        assert rows[2] >= date(2016, 1, 1) and rows[3] <= date(2026, 9, 30)
    again = nightly(transport="replay", sources=["govuk"])  # from the watermark
    assert again["totals"]["discovered"] == 0
