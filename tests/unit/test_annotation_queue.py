"""The annotation queue: a seeded gold draw with known probabilities, active items, overlap."""

from __future__ import annotations

import shutil

import pytest

from classifiers.codebook import CODEBOOK_VERSION
from tests.small_warehouse import build
from warehouse.annotation_queue import QueueConfig, QueueItem, draw_gold, in_overlap, interleave, next_items
from warehouse.annotation_store import Annotation, insert, now_utc
from warehouse.db import open_db
from warehouse.model_registry import register_model


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return build(tmp_path_factory.mktemp("queue") / "whitehall.duckdb")


@pytest.fixture
def con(published, tmp_path):
    shutil.copy(published, tmp_path / "w.duckdb")
    return open_db(tmp_path / "w.duckdb")


def answer(item: QueueItem, annotator: str, relevant: bool = True, frames=("blob",)) -> Annotation:
    return Annotation(item.passage_id, item.content_hash, annotator, relevant, list(frames), False,
                      CODEBOOK_VERSION, item.stream, item.sample_design, item.p_inclusion, None, "s1", now_utc())


def test_gold_is_drawn_per_complete_quarter_with_its_inclusion_probability(con):
    config = QueueConfig(per_stratum=3)
    drawn = draw_gold(con, config)
    strata = con.execute("SELECT stratum, population, drawn FROM gold_strata ORDER BY stratum").fetchall()
    quarters = con.execute("SELECT DISTINCT strftime(date, '%Y') || '-Q' || quarter(date) AS q FROM passages"
                           " ORDER BY q").fetchall()
    assert [s for s, _, _ in strata] == [q for (q,) in quarters][:-1]  # the newest (2024-Q4) is incomplete
    assert drawn == sum(n for _, _, n in strata) == 3 * len(strata)
    for stratum, population, n in strata:
        actual = con.execute("SELECT count(*) FROM passages WHERE strftime(date, '%Y') || '-Q' || quarter(date) = ?",
                             [stratum]).fetchone()[0]
        assert population == actual
        ps = con.execute("SELECT DISTINCT p_inclusion FROM gold_sample WHERE stratum = ?", [stratum]).fetchall()
        assert ps == [(pytest.approx(n / population),)]
    assert draw_gold(con, config) == 0  # strata are drawn once


def test_the_draw_is_the_same_on_another_copy_and_changes_with_the_seed(published, tmp_path):
    draws = []
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        shutil.copy(published, tmp_path / f"{name}.duckdb")
        con = open_db(tmp_path / f"{name}.duckdb")
        draw_gold(con, QueueConfig(per_stratum=4, seed=seed))
        draws.append(con.execute("SELECT passage_id FROM gold_sample ORDER BY 1").fetchall())
    assert draws[0] == draws[1] != draws[2]


def test_the_queue_mixes_gold_and_active_by_the_gold_share(con):
    config = QueueConfig(per_stratum=3, gold_share=0.5, overlap=0.0)
    draw_gold(con, config)
    items = next_items(con, "alice", config, n=10)
    assert [i.stream for i in items] == ["gold", "active"] * 5
    gold_ids = {r[0] for r in con.execute("SELECT passage_id FROM gold_sample").fetchall()}
    assert all(i.passage_id in gold_ids and i.p_inclusion for i in items if i.stream == "gold")
    assert all(i.passage_id not in gold_ids and i.p_inclusion is None for i in items if i.stream == "active")
    strata = [i.note.split(" · ")[1] for i in items if i.stream == "gold"]
    assert len(set(strata)) == len(strata)  # round-robin over strata, not one quarter first
    only_gold = next_items(con, "alice", QueueConfig(per_stratum=3, gold_share=1.0, overlap=0.0), n=6)
    assert {i.stream for i in only_gold} == {"gold"}


def test_active_items_put_model_disagreement_first_then_uncertainty(con):
    config = QueueConfig(per_stratum=1, gold_share=0.0, overlap=0.0)
    pid = con.execute("SELECT passage_id FROM v_passage_labels WHERE NOT relevant ORDER BY passage_id LIMIT 1"
                      ).fetchall()[0][0]
    con.execute("INSERT INTO labels SELECT passage_id, content_hash, 'older-model', codebook_version, label,"
                " probability, NOT decision, evidence, labelled_at FROM labels WHERE passage_id = ?", [pid])
    register_model(con, "older-model", CODEBOOK_VERSION, "keywords", make_current=False)
    items = next_items(con, "alice", config, n=5)
    assert items[0].passage_id == pid and items[0].sample_design == "active:disagreement:v1"
    assert all(i.sample_design == "active:uncertainty:v1" for i in items[1:])
    u = [float(i.note.rsplit(" ", 1)[1]) for i in items[1:]]
    assert u == sorted(u, reverse=True) and u[0] > 0


def test_overlap_items_go_to_a_second_annotator_first_and_others_to_nobody_else(con):
    everyone = QueueConfig(per_stratum=2, overlap=1.0, overlap_annotators=2)
    draw_gold(con, everyone)
    first = next_items(con, "alice", everyone, n=4)
    insert(con, [answer(i, "alice") for i in first])
    for_bob = next_items(con, "bob", everyone, n=6)
    assert [i.passage_id for i in for_bob[:4]] == [i.passage_id for i in first]
    assert {i.stream for i in for_bob[:4]} == {"overlap"} and for_bob[0].sample_design == first[0].sample_design
    insert(con, [answer(i, "bob", relevant=False, frames=()) for i in for_bob[:4]])
    assert not {i.passage_id for i in first} & {i.passage_id for i in next_items(con, "carol", everyone, n=20)}
    nobody = QueueConfig(per_stratum=2, overlap=0.0)
    assert not {i.passage_id for i in first} & {i.passage_id for i in next_items(con, "dan", nobody, n=20)}


def test_the_overlap_share_is_about_what_it_says():
    config = QueueConfig(overlap=0.2)
    share = sum(in_overlap(f"p{i:019x}", config) for i in range(5000)) / 5000
    assert 0.18 < share < 0.22


def test_interleave_keeps_the_share_in_every_prefix_and_drains_the_other_stream():
    gold = [QueueItem(f"g{i}", "h", "gold", "g", 0.1) for i in range(3)]
    active = [QueueItem(f"a{i}", "h", "active", "a", None) for i in range(10)]
    mixed = interleave(gold, active, 0.25, 8)
    assert [i.stream[0] for i in mixed] == list("gaaagaaa")
    assert [i.passage_id for i in interleave(gold, [], 0.25, 5)] == ["g0", "g1", "g2"]
