"""Annotations are saved at once, survive a busy lock, a dead session and a reload, and are published."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from classifiers.codebook import CODEBOOK_VERSION
from extractors.passage import text_hash
from tests.small_warehouse import build, invented_documents, load
from warehouse.annotation_queue import QueueConfig, draw_gold, next_items
from warehouse.annotation_results import agreement_report, reconciled_annotations
from warehouse.annotation_store import Annotation, AnnotationWriter, insert, now_utc
from warehouse.db import open_db
from warehouse.publish import WriteLock, prepare_work_db, publish, work_path


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build(tmp_path_factory.mktemp("store") / "whitehall.duckdb").parent


@pytest.fixture
def db(template, tmp_path):
    shutil.copytree(template, tmp_path / "data")
    return tmp_path / "data" / "whitehall.duckdb"


def passages(db, n=3):
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT passage_id, content_hash, text FROM passages ORDER BY date, passage_id LIMIT ?",
                       [n]).fetchall()
    con.close()
    return rows


def make(row, annotator="alice", relevant=True, frames=("candour",), stream="active", design="active:uncertainty:v1",
         p=None, session="s1"):
    pid, h, text = row
    return Annotation(pid, h, annotator, relevant, list(frames), False, CODEBOOK_VERSION, stream, design, p,
                      "keywords-1", session, now_utc(), text=text, context="")


def published_annotations(db):
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT annotator, passage_id, relevant, frames, stream FROM annotations ORDER BY annotation_id").fetchall()
    con.close()
    return rows


def test_a_save_is_stored_at_once_and_published_when_the_session_ends(db):
    rows = passages(db)
    writer = AnnotationWriter(db, "alice-1")
    result = writer.save(make(rows[0], frames=("candour", "blob"), session="alice-1"))
    assert result.stored and result.pending == 0
    with WriteLock(db):
        work = duckdb.connect(str(work_path(db)), read_only=True)
        assert work.execute("SELECT frames FROM annotations").fetchall() == [(["blob", "candour"],)]
        work.close()
    assert published_annotations(db) == []  # not published until the session ends
    closed = writer.close()
    assert closed.stored and published_annotations(db) == [("alice", rows[0][0], True, ["blob", "candour"], "active")]
    assert not list((work_path(db).parent / "annotations-pending").glob("*.jsonl"))


def test_while_a_run_holds_the_lock_answers_wait_in_the_journal_and_go_in_after(db):
    rows = passages(db)
    writer = AnnotationWriter(db, "bob-1", lock_wait_s=0.0)
    with WriteLock(db):  # a nightly run, say
        result = writer.save(make(rows[0], "bob", session="bob-1"))
        assert not result.stored and result.pending == 1
        journal = work_path(db).parent / "annotations-pending" / "bob-1.jsonl"
        assert json.loads(journal.read_text().splitlines()[0])["passage_id"] == rows[0][0]
    result = writer.save(make(rows[1], "bob", session="bob-1"))
    assert result.stored and result.pending == 0
    writer.close()
    assert [r[1] for r in published_annotations(db)] == [rows[0][0], rows[1][0]]


def test_a_dead_sessions_journal_is_taken_in_by_the_next_session(db):
    rows = passages(db)
    folder = work_path(db).parent / "annotations-pending"
    folder.mkdir(parents=True, exist_ok=True)
    orphan = make(rows[2], "carol", session="carol-dead")
    (folder / "carol-dead.jsonl").write_text(json.dumps(orphan.__dict__) + "\n")
    writer = AnnotationWriter(db, "dave-1")
    writer.save(make(rows[0], "dave", session="dave-1"))
    writer.close()
    assert {r[0] for r in published_annotations(db)} == {"carol", "dave"}
    assert not (folder / "carol-dead.jsonl").exists()


def test_inserting_the_same_answer_twice_stores_it_once(db):
    con = open_db(prepare_work_db(db))
    a = make(passages(db)[0])
    assert insert(con, [a]) == 1 and insert(con, [a, a]) == 0
    assert con.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1


def test_annotations_survive_a_document_replacement_and_a_reload(db):
    docs = invented_documents()
    doc = docs[0]
    unchanged, changed = doc.passages[0], doc.passages[1]
    con = open_db(prepare_work_db(db))
    insert(con, [make((unchanged.passage_id, unchanged.content_hash, unchanged.text)),
                 make((changed.passage_id, changed.content_hash, changed.text))])
    revised = changed.text + " Revised."
    rewritten = changed.model_copy(update={"text": revised, "content_hash": text_hash(revised)})
    load(con, [doc.model_copy(update={"version": "b", "passages": [unchanged, rewritten, *doc.passages[2:]]})])
    load(con, docs)  # a full reload of everything, older versions superseded
    current = dict(con.execute("SELECT passage_id, is_current FROM v_annotations").fetchall())
    assert current == {unchanged.passage_id: True, changed.passage_id: False}
    con.execute("CHECKPOINT")
    con.close()
    publish(work_path(db), db)
    assert len(published_annotations(db)) == 2
    training = reconciled_annotations(duckdb.connect(str(db), read_only=True))
    assert changed.text in [i.text for i in training.items]  # the text it was made on, kept


def test_reconciled_annotations_are_a_training_set_without_the_gold_sample(db):
    con = open_db(prepare_work_db(db))
    config = QueueConfig(per_stratum=2, overlap=0.0)
    draw_gold(con, config)
    gold = [i for i in next_items(con, "alice", config, n=8) if i.stream == "gold"][:2]
    rows = {r[0]: r for r in passages(db, 200)}
    a, b, c = list(rows.values())[:3]
    insert(con, [
        make(a, "alice", frames=("blob",)), make(a, "bob", frames=("blob", "hero")), make(a, "carol", frames=("blob",)),
        make(b, "alice", relevant=True, frames=()), make(b, "bob", relevant=False, frames=()),  # a tie: left out
        make(c, "alice", relevant=False, frames=()),
        *[make(rows[g.passage_id], "alice", stream="gold", design=g.sample_design, p=g.p_inclusion) for g in gold],
    ])
    learned = reconciled_annotations(con)
    assert set(learned.split) == {"train"} and set(learned.origin) == {"annotation"}
    by_pid = {m["passage_id"]: row for m, row in zip(learned.meta, learned.y)}
    assert set(by_pid) == {a[0], c[0]}
    assert list(by_pid[a[0]][:3]) == [1, 1, 0] and by_pid[c[0]].sum() == 0  # relevant, blob, not hero
    assert learned.meta[[m["passage_id"] for m in learned.meta].index(a[0])]["annotators"] == ["alice", "bob", "carol"]
    with_gold = reconciled_annotations(con, include_gold=True)
    assert len(with_gold) == len(learned) + 2


def test_agreement_report_gives_alpha_per_label_and_pair(db):
    con = open_db(prepare_work_db(db))
    rows = passages(db, 12)
    answers = []
    for i, row in enumerate(rows):
        relevant = i % 2 == 0
        answers.append(make(row, "alice", relevant=relevant, frames=("blob",) if relevant else ()))
        answers.append(make(row, "bob", relevant=relevant, frames=("blob",) if relevant and i % 4 else ()))
    insert(con, answers)
    report = agreement_report(con)
    assert report["annotators"] == ["alice", "bob"] and report["units_multiply_coded"] == 12
    assert report["labels"]["relevant"]["alpha"] == pytest.approx(1.0)
    assert report["labels"]["blob"]["alpha"] < 1.0 and report["labels"]["blob"]["units"] == 12
    assert report["pairs"]["alice × bob"]["relevant"] == pytest.approx(1.0)


def test_reconciled_annotations_join_the_written_training_data(db):
    from classifiers.labelled import load_written

    con = open_db(prepare_work_db(db))
    insert(con, [make(row, "alice", frames=("hero",)) for row in passages(db, 3)])
    combined = load_written() + reconciled_annotations(con)
    assert combined.where(origin="annotation").y.shape == (3, 9)
    assert combined.where(origin="annotation", split="train").ids[0].startswith("annotation:")
    assert len(combined.fingerprint) == 64
