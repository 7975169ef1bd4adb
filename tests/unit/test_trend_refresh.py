"""refresh_trends on small warehouses: complete grids, methods, incremental recomputation, PPI
where gold exists, speaker adoption."""

from __future__ import annotations

import random
from datetime import date

import pytest

from warehouse.db import open_db
from warehouse.model_registry import register_model
from warehouse.trends.error_model import LABELS
from warehouse.trends.refresh import refresh_trends
from tests.unit.trend_warehouse import CODEBOOK, make_warehouse, put_passages, quarter_start

CARD = {"metrics": {"test/written": {"confusion": {l: {"tp": 80, "fp": 20, "fn": 20, "tn": 880} for l in LABELS}},
                    "test/real": {"confusion": {l: {"tp": 60, "fp": 30, "fn": 40, "tn": 870} for l in LABELS}}}}


def rows_for(quarters: list[str], per_quarter: int = 60, seed: int = 0, blob: float = 0.3) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for quarter in quarters:
        for i in range(per_quarter):
            relevant = rng.random() < 0.6
            labels = {"relevant"} if relevant else set()
            if relevant and rng.random() < blob:
                labels.add("blob")
            if relevant and rng.random() < 0.2:
                labels.add("advice")
            out.append({"id": f"{quarter}-{seed}-{i}", "date": quarter_start(quarter), "labels": labels,
                        "source_type": rng.choice(["debate", "speech"]), "party": rng.choice(["Labour", None]),
                        "speaker_id": f"s{i % 7}", "speaker": f"Speaker {i % 7}"})
    return out


@pytest.fixture
def con(tmp_path):
    return open_db(tmp_path / "w.duckdb")


def _estimates(con, quarter: str) -> list[tuple]:
    return con.execute("SELECT * FROM trend_estimates WHERE quarter = ? ORDER BY ALL", [quarter]).fetchall()


def test_every_quarter_has_rows_and_empty_ones_have_no_share(con):
    make_warehouse(con, rows_for(["2024-Q1", "2024-Q4"]))
    summary = refresh_trends(con, draws=200)
    assert summary.full and summary.quarters == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    grid = con.execute("SELECT quarter, count(*), count(share), bool_and(low_n), sum(n_passages) "
                       "FROM trend_frame_quarterly GROUP BY quarter ORDER BY quarter").fetchall()
    assert [g[0] for g in grid] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert {g[1] for g in grid} == {8 * 3}                        # frames x (all, debate, speech)
    assert grid[1][2:] == (0, True, 0) and grid[2][2:] == (0, True, 0)
    assert con.execute("SELECT count(*) FROM trend_frame_quarterly_by_party WHERE party IS NULL").fetchone()[0] == 8 * 4


def test_a_model_without_measured_error_is_uncorrected_and_a_measured_one_is_corrected(tmp_path):
    plain = open_db(tmp_path / "a.duckdb")
    make_warehouse(plain, rows_for(["2024-Q1"]))
    refresh_trends(plain, draws=200)
    measured = open_db(tmp_path / "b.duckdb")
    make_warehouse(measured, rows_for(["2024-Q1"]), card=CARD)
    refresh_trends(measured, draws=200)
    query = "SELECT DISTINCT method FROM trend_estimates"
    assert plain.execute(query).fetchall() == [("uncorrected",)]
    assert measured.execute(query).fetchall() == [("rogan-gladen",)]
    raw, share = plain.execute("SELECT share_raw, share FROM trend_estimates WHERE label = 'blob' AND "
                               "dimension = 'all' AND period_kind = 'quarter'").fetchone()
    assert raw == share


def test_only_changed_quarters_are_recomputed_and_the_rest_stay_identical(con):
    make_warehouse(con, rows_for(["2024-Q1", "2024-Q2", "2024-Q3"]), card=CARD)
    refresh_trends(con, draws=200)
    before = {q: _estimates(con, q) for q in ("2024-Q1", "2024-Q3")}
    put_passages(con, rows_for(["2024-Q3"], per_quarter=20, seed=9))
    summary = refresh_trends(con, draws=200)
    assert not summary.full and summary.quarters == ["2024-Q3"]
    assert _estimates(con, "2024-Q1") == before["2024-Q1"]
    assert _estimates(con, "2024-Q3") != before["2024-Q3"]
    assert refresh_trends(con, draws=200).quarters == []          # nothing new: nothing done
    incremental = _estimates(con, "2024-Q1") + _estimates(con, "2024-Q3")
    refresh_trends(con, draws=200, full=True)
    assert _estimates(con, "2024-Q1") + _estimates(con, "2024-Q3") == incremental


def test_a_new_current_model_recomputes_everything(con):
    rows = rows_for(["2024-Q1", "2024-Q2"])
    make_warehouse(con, rows)
    refresh_trends(con, draws=200)
    register_model(con, "test-model-2", CODEBOOK, "trained", CARD)
    put_passages_labels_only(con, rows, "test-model-2")
    summary = refresh_trends(con, draws=200)
    assert summary.full and summary.model_version == "test-model-2"
    assert con.execute("SELECT DISTINCT model_version FROM trend_frame_quarterly").fetchall() == [("test-model-2",)]


def put_passages_labels_only(con, rows: list[dict], model: str) -> None:
    con.execute("INSERT INTO labels SELECT passage_id, content_hash, ?, codebook_version, label, probability,"
                " decision, evidence, labelled_at FROM labels WHERE model_version = 'test-model-1'", [model])


def test_gold_annotations_give_ppi_estimates(con):
    rows = rows_for(["2024-Q1", "2024-Q2"], per_quarter=200, blob=0.3)
    make_warehouse(con, rows, card=CARD)
    rng = random.Random(4)
    gold = [r for r in rows if r["date"] < date(2024, 4, 1)][::4]              # 50 of 200, p = 0.25
    for i, r in enumerate(gold):
        truly_blob = "blob" in r["labels"] and rng.random() < 0.8           # the model over-calls blob
        con.execute(
            "INSERT INTO annotations (annotation_id, passage_id, content_hash, annotator, relevant, frames,"
            " explicit_trait_vocabulary, codebook_version, stream, sample_design, p_inclusion, annotated_at)"
            " SELECT ?, passage_id, content_hash, 'a', ?, ?, false, ?, 'gold', 'gold:uniform-by-quarter:v1',"
            " 0.25, now() FROM passages WHERE passage_id = ?",
            [i, "relevant" in r["labels"], ["blob"] if truly_blob else [], CODEBOOK, r["id"]])
    refresh_trends(con, draws=300)
    pooled = con.execute("SELECT quarter, method, n_gold, share, share_raw FROM trend_estimates WHERE label = 'blob'"
                         " AND dimension = 'all' AND period_kind = 'quarter' ORDER BY quarter").fetchall()
    assert pooled[0][:3] == ("2024-Q1", "ppi", 50)
    assert pooled[0][3] < pooled[0][4]                                   # corrected down, towards the gold
    assert pooled[1][1:3] == ("rogan-gladen", 0)


def test_speaker_adoption_dates_and_trait_shares(con):
    def passage(i, speaker, day, labels):
        return {"id": f"p{i}", "date": day, "speaker_id": speaker, "speaker": speaker.upper(),
                "labels": {"relevant", *labels}, "party": "Labour", "role": "minister"}
    rows = [passage(1, "a", date(2026, 1, 5), []), passage(2, "a", date(2026, 2, 5), ["advice"]),
            passage(3, "a", date(2026, 7, 1), ["advice", "explicit_trait_vocabulary"]),
            passage(4, "a", date(2026, 8, 1), []), passage(5, "b", date(2026, 3, 1), ["blob"]),
            passage(6, "c", date(2026, 8, 2), ["candour", "explicit_trait_vocabulary"])]
    make_warehouse(con, rows)
    refresh_trends(con, draws=200)
    adoption = con.execute("SELECT * FROM speaker_adoption").fetchall()
    assert adoption == [("a", "A", "minister", "Labour", date(2026, 7, 1), 0.5, 0.5),
                        ("c", "C", "minister", "Labour", date(2026, 8, 2), None, 1.0)]
    curve = con.execute("SELECT quarter, n_active, n_adopted FROM trend_diffusion_quarterly "
                        "WHERE dimension = 'all' ORDER BY quarter").fetchall()
    assert curve == [("2026-Q1", 2, 0), ("2026-Q3", 2, 2)]


def test_no_current_model_means_nothing_to_do(con):
    assert refresh_trends(con).model_version is None
    assert con.execute("SELECT count(*) FROM trend_frame_quarterly").fetchone()[0] == 0


def test_a_frame_the_model_cannot_separate_in_a_source_type_is_marked_not_estimable_there(con):
    blind = {l: dict(c) for l, c in CARD["metrics"]["test/real"]["confusion"].items()}
    blind["blob"] = {"tp": 1, "fp": 5, "fn": 19, "tn": 575}    # committee evidence: Youden index 0.04
    card = {"metrics": {"test/written": CARD["metrics"]["test/written"], "test/real": {"confusion": blind}}}
    rows = rows_for(["2024-Q1"], per_quarter=120)
    for i, row in enumerate(rows):
        row["source_type"] = "committee_evidence" if i % 2 else "debate"
    make_warehouse(con, rows, card=card)
    summary = refresh_trends(con, draws=200)
    assert any(n.startswith("blob in committee_evidence: the model barely separates it") for n in summary.notes)
    methods = dict(((r[0], r[1]), (r[2], r[3])) for r in con.execute(
        "SELECT grp, label, method, share FROM trend_estimates WHERE period_kind = 'quarter' AND "
        "dimension IN ('all', 'source_type') AND label IN ('blob', 'hero', 'adoption_index')").fetchall())
    assert methods[("committee_evidence", "blob")] == ("not-estimable", None)
    assert methods[("committee_evidence", "adoption_index")] == ("not-estimable", None)
    assert methods[("committee_evidence", "hero")][0] == "rogan-gladen"
    for label in ("blob", "adoption_index"):   # pooled: estimated from the debates
        method, share = methods[("all", label)]
        assert method == "rogan-gladen" and share is not None
    assert methods[("all", "blob")][1] == pytest.approx(methods[("debate", "blob")][1], abs=0.05)
