"""Change tracking for the trend refresh: writers mark what they change, the refresh
recomputes only the quarters concerned (identically to a full refresh), reads no label where a
load logged its decisions, touches no passage with nothing marked, and marks survive a refresh
that fails."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest

from classifiers.keywords import KeywordClassifier
from extractors.acquire import Outcome
from extractors.base import ItemRef
from extractors.passage import Document, Passage
from tests.unit.trend_warehouse import CODEBOOK, make_warehouse, put_passages, quarter_start
from warehouse.annotation_store import Annotation, insert
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, commit_batch, label_batch, plan_batch
from warehouse.ledger import RunLedger, begin_run
from warehouse.model_registry import register_model
from warehouse.schema import migrate
from warehouse.trends import refresh as refresh_module
from warehouse.trends.dirty import dirty_passages, dirty_quarters, mark_passages
from warehouse.trends.refresh import refresh_trends

TABLES = {"trend_estimates": "SELECT * EXCLUDE (model_version) FROM trend_estimates",
          "trend_change_points": "SELECT * FROM trend_change_points",
          "speaker_adoption_stats": "SELECT * FROM speaker_adoption_stats",
          "trend_diffusion": "SELECT * FROM trend_diffusion",
          "trend_refresh_state": "SELECT quarter, n_passages FROM trend_refresh_state",
          "trend_frame_quarterly": "SELECT * FROM trend_frame_quarterly"}
QUARTERS = [f"{y}-Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4)]


def rows_for(quarters: list[str], per_quarter: int = 40, seed: int = 0) -> list[dict]:
    """Passages with a stepped blob share (so change points are found) and speakers who take up
    the explicit vocabulary over time."""
    rng = random.Random(seed)
    out = []
    for quarter in quarters:
        blob = 0.15 if quarter < "2024-Q1" else 0.6
        for i in range(per_quarter):
            labels = {"relevant"} if rng.random() < 0.7 else set()
            if labels and rng.random() < blob:
                labels.add("blob")
            if labels and rng.random() < 0.3:
                labels.add(rng.choice(["advice", "candour", "hero"]))
            if labels and rng.random() < 0.1:
                labels.add("explicit_trait_vocabulary")
            speaker = rng.randrange(9)
            out.append({"id": f"{quarter}-{seed}-{i}", "date": quarter_start(quarter) + timedelta(days=i % 60),
                        "labels": labels, "source_type": rng.choice(["debate", "speech"]),
                        "party": rng.choice(["Labour", "Conservative", None]), "role": rng.choice(["minister", "backbench_mp"]),
                        "speaker_id": f"s{speaker}" if speaker else None, "speaker": f"Speaker {speaker}",
                        "p": {"relevant": rng.random()}})
    return out


def snapshot(con) -> dict[str, list[tuple]]:
    return {name: sorted(con.execute(query).fetchall(), key=repr) for name, query in TABLES.items()}


@pytest.fixture
def con(tmp_path):
    con = open_db(tmp_path / "w.duckdb")
    make_warehouse(con, rows_for(QUARTERS))
    assert refresh_trends(con, draws=100).full
    return con


def test_a_change_in_one_quarter_recomputes_only_it_and_matches_a_full_refresh(con):
    assert con.execute("SELECT count(*) FROM trend_change_points").fetchone()[0] > 0
    kept = con.execute("SELECT * FROM trend_estimates WHERE quarter <> '2024-Q2' ORDER BY ALL").fetchall()
    put_passages(con, rows_for(["2024-Q2"], per_quarter=25, seed=7))  # marked, no decisions logged
    assert len(dirty_passages(con)) == 25
    recording = Recording(con)
    summary = refresh_trends(recording, draws=100)
    assert reads(recording, "labels")                                  # so their labels are read
    assert not summary.full and summary.quarters == ["2024-Q2"] and summary.passages == 25
    assert con.execute("SELECT * FROM trend_estimates WHERE quarter <> '2024-Q2' ORDER BY ALL").fetchall() == kept
    assert dirty_passages(con) == []
    incremental = snapshot(con)
    assert refresh_trends(con, draws=100, full=True).full
    assert snapshot(con) == incremental


def test_quarters_added_beyond_the_range_and_emptied_at_its_end_keep_the_grid_right(con):
    put_passages(con, rows_for(["2025-Q3"], per_quarter=30, seed=3))   # 2025-Q1..Q2 are new and empty
    summary = refresh_trends(con, draws=100)
    assert summary.quarters == ["2025-Q1", "2025-Q2", "2025-Q3"]
    incremental = snapshot(con)
    refresh_trends(con, draws=100, full=True)
    assert snapshot(con) == incremental
    gone = [p for (p,) in con.execute("SELECT passage_id FROM passages WHERE date >= DATE '2025-07-01'").fetchall()]
    mark_passages(con, gone)                                           # as the loader does before deleting
    con.execute("DELETE FROM passages WHERE date >= DATE '2025-07-01'")
    refresh_trends(con, draws=100)
    assert con.execute("SELECT max(quarter) FROM trend_frame_quarterly").fetchone()[0] == "2024-Q4"
    incremental = snapshot(con)
    refresh_trends(con, draws=100, full=True)
    assert snapshot(con) == incremental


class Recording:
    """A connection that records every statement it is given."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def execute(self, query, *args):
        self.statements.append(query)
        return self.con.execute(query, *args)

    def executemany(self, query, *args):
        self.statements.append(query)
        return self.con.executemany(query, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def reads(recording: Recording, *tables: str) -> list[str]:
    """The statements that read one of `tables` (a FROM or JOIN of it)."""
    pattern = re.compile(rf"\b(from|join)\s+({'|'.join(tables)})\b", re.IGNORECASE)
    return [q for q in recording.statements if pattern.search(q)]


def test_a_refresh_with_nothing_marked_does_nothing_and_reads_no_passage_or_label(con):
    before = snapshot(con)
    recording = Recording(con)
    summary = refresh_trends(recording, draws=100)
    assert not summary.full and summary.quarters == [] and summary.cells == 0
    assert not reads(recording, "passages", "labels", "stg_trend_passages", "v_passage_labels", "trend_passages")
    assert snapshot(con) == before


def test_a_failed_refresh_keeps_the_marks_and_changes_nothing(con, monkeypatch):
    before = snapshot(con)
    put_passages(con, rows_for(["2023-Q4"], per_quarter=10, seed=5))

    def boom(*args, **kwargs):
        raise RuntimeError("killed")
    monkeypatch.setattr(refresh_module, "_write_adoption", boom)
    with pytest.raises(RuntimeError, match="killed"):
        refresh_trends(con, draws=100)
    assert len(dirty_passages(con)) == 10 and snapshot(con) == before
    monkeypatch.undo()
    assert refresh_trends(con, draws=100).quarters == ["2023-Q4"]


def test_an_upgraded_warehouse_recomputes_everything_once(con):
    con.execute("DELETE FROM schema_migrations WHERE version = 18")  # as before migration 018
    for table in ("trend_dirty_passages", "trend_dirty_quarters", "trend_passages", "trend_speaker_quarters",
                  "trend_speaker_activity"):
        con.execute(f"DROP TABLE {table}")
    migrate(con)
    assert refresh_trends(con, draws=100).full
    assert not refresh_trends(con, draws=100).full


def test_gold_annotations_mark_the_quarter_of_their_passage(con):
    pid, content_hash = con.execute("SELECT passage_id, content_hash FROM passages WHERE date < DATE '2023-04-01' "
                                    "ORDER BY passage_id LIMIT 1").fetchone()
    answer = Annotation(pid, content_hash, "alice", True, ["blob"], False, CODEBOOK, "gold", "gold:test", 0.5,
                        None, "s1", "2026-01-01T00:00:00")
    insert(con, [answer])
    assert dirty_quarters(con) == ["2023-Q1"]
    insert(con, [Annotation(pid, "an-old-text", "bob", True, [], False, CODEBOOK, "gold", "gold:test", 0.5,
                            None, "s1", "2026-01-01T00:00:00")])
    assert dirty_quarters(con) == ["2023-Q1"]  # an answer on a text no longer current changes nothing


# The loader: a replaced document marks the quarters its passages leave and those they join.

CLASSIFIER = KeywordClassifier()


def document(day: date, version: str, texts: list[str]) -> Document:
    doc_id = "hansard:debates/x"
    passages = [Passage.build(source="hansard", source_type="debate", document_id=doc_id, locator=f"x{version}:p{i}",
                              text=t, date=day, speaker="A Member", role="backbench_mp") for i, t in enumerate(texts)]
    return Document(document_id=doc_id, source="hansard", source_type="debate", item_id=doc_id, version=version,
                    date=day, passages=passages)


def load(con, doc: Document) -> None:
    ledger = RunLedger(begin_run(con, "test", "replay"))
    ledger.discover("hansard", 1)
    ref = ItemRef("hansard", doc.document_id + doc.version, "http://x/d", "001")
    batch = plan_batch(con, [Outcome(ref, "parsed", document=doc, raw_sha256="ab" * 32)], CLASSIFIER.model_version)
    commit_batch(con, ledger, SourceProgress("hansard", None), batch, label_batch(batch, CLASSIFIER))


def test_a_replaced_document_that_moves_quarter_marks_both_and_the_refresh_reads_no_label(tmp_path):
    con = open_db(tmp_path / "w.duckdb")
    register_model(con, CLASSIFIER.model_version, CLASSIFIER.codebook_version, "keywords")
    texts = ["The civil service blob resists reform.", "Officials gave frank advice."]
    load(con, document(date(2021, 2, 3), "a", texts))
    assert con.execute("SELECT count(*) FROM trend_dirty_passages WHERE content_hash IS NOT NULL").fetchone()[0] == 2
    refresh_trends(con, draws=100)                                  # the first: full
    assert dirty_passages(con) == []
    load(con, document(date(2021, 2, 3), "a", texts))              # unchanged: no mark
    assert dirty_passages(con) == []
    load(con, document(date(2021, 8, 9), "b", texts))              # redated: it leaves Q1 and joins Q3
    assert len(dirty_passages(con)) == 2                            # same texts: ids kept, nothing relabelled
    recording = Recording(con)
    summary = refresh_trends(recording, draws=100)
    assert summary.quarters == ["2021-Q1", "2021-Q3"] and not summary.full
    assert not reads(recording, "labels")
    assert con.execute("SELECT DISTINCT quarter FROM trend_frame_quarterly").fetchall() == [("2021-Q3",)]
    load(con, document(date(2021, 8, 9), "c", [*texts, "A new paragraph on the blob."]))  # one new text, logged
    recording = Recording(con)
    assert refresh_trends(recording, draws=100).quarters == ["2021-Q3"]
    assert not reads(recording, "labels")
    incremental = snapshot(con)
    refresh_trends(con, draws=100, full=True)
    assert snapshot(con) == incremental


def test_labels_of_the_current_model_written_outside_a_load_are_logged_with_their_decisions(con):
    from dataclasses import replace

    from classifiers.base import Prediction
    from warehouse.loader import write_labels

    pid, content_hash = con.execute("SELECT passage_id, content_hash FROM passages WHERE date >= DATE '2024-10-01' "
                                    "ORDER BY passage_id LIMIT 1").fetchone()
    frames = {f: 0.0 for f in ("blob", "hero", "advice", "delivery", "candour", "understanding", "impartiality")}
    frames["hero"] = 0.8
    prediction = Prediction(relevant=True, p_relevant=0.9, frames=frames, labels=["hero"], explicit_trait_vocabulary=True,
                            p_explicit=0.7, evidence={}, model_version="test-model-1", codebook_version=CODEBOOK)
    write_labels(con, {(pid, content_hash): prediction})
    write_labels(con, {(pid, content_hash): prediction})            # a rewrite replaces the log, as the labels
    assert con.execute("SELECT count(*) FROM trend_dirty_passages").fetchone()[0] == 1
    assert refresh_trends(con, draws=100).quarters == ["2024-Q4"]
    row = con.execute("SELECT relevant, p_relevant, hero, p_hero, explicit_trait_vocabulary FROM trend_passages "
                      "WHERE passage_id = ?", [pid]).fetchone()
    assert row == (True, 0.9, True, 0.8, True)
    assert row == con.execute("SELECT relevant, p_relevant, hero, p_hero, explicit_trait_vocabulary FROM "
                              "stg_trend_passages WHERE passage_id = ?", [pid]).fetchone()
    write_labels(con, {(pid, content_hash): replace(prediction, model_version="another")})
    assert dirty_passages(con) == []                                # not the current model: nothing to redo
