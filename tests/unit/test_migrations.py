"""Ordered, recorded migrations, from an empty file."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.db import open_db
from warehouse.schema import Migration, available, migrate

CONTRACT_COLUMNS = {
    "v_passages": ["passage_id", "document_id", "source", "source_type", "date", "speaker", "speaker_id",
                   "role", "party", "department", "url", "locator", "text"],
    "v_passage_labels": ["passage_id", "relevant", "p_relevant", "blob", "p_blob", "hero", "p_hero",
                         "advice", "p_advice", "delivery", "p_delivery", "candour", "p_candour",
                         "understanding", "p_understanding", "impartiality", "p_impartiality",
                         "explicit_trait_vocabulary", "model_version", "codebook_version"],
    "trend_frame_quarterly": ["quarter", "frame", "source_type", "n_passages", "n_relevant", "share",
                              "ci_low", "ci_high", "low_n", "model_version"],
    "trend_frame_quarterly_by_role": ["quarter", "frame", "role", "n_passages", "n_relevant", "share",
                                      "ci_low", "ci_high", "low_n", "model_version"],
    "trend_frame_quarterly_by_party": ["quarter", "frame", "party", "n_passages", "n_relevant", "share",
                                       "ci_low", "ci_high", "low_n", "model_version"],
    "trend_changes": ["frame", "source_type", "quarter", "direction", "magnitude", "score"],
    "speaker_adoption": ["speaker_id", "speaker", "role", "party", "first_explicit_use",
                         "trait_share_before", "trait_share_after"],
}


def test_migrations_from_empty_are_recorded_in_order(tmp_path):
    con = open_db(tmp_path / "w.duckdb")
    rows = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [(m.version, m.name) for m in available()] == rows
    assert [v for v, _ in rows] == sorted(v for v, _ in rows)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"documents", "passages", "labels", "models", "runs", "run_items", "quarantine",
            "watermarks", "schema_migrations", "v_passages", "v_passage_labels",
            "trend_frame_quarterly"} <= tables


def test_rerunning_migrations_is_a_no_op(tmp_path):
    con = open_db(tmp_path / "w.duckdb")
    assert migrate(con) == []
    con.close()
    con = open_db(tmp_path / "w.duckdb")  # reopening migrates nothing either
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(available())


def test_an_edited_applied_migration_is_refused(tmp_path, monkeypatch):
    con = open_db(tmp_path / "w.duckdb")
    edited = [Migration(m.version, m.name, m.sql + "\n-- edited") if m.version == 1 else m for m in available()]
    monkeypatch.setattr("warehouse.schema.available", lambda: edited)
    with pytest.raises(RuntimeError, match="changed after it was applied"):
        migrate(con)


@pytest.mark.parametrize("view", sorted(CONTRACT_COLUMNS))
def test_views_have_exactly_the_contract_columns(tmp_path, view):
    con = open_db(tmp_path / "w.duckdb")
    columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    assert columns == CONTRACT_COLUMNS[view]


def test_a_failing_migration_leaves_nothing_half_applied(tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    broken = available()[:1] + [Migration(2, "broken", "CREATE TABLE half (x INT); SELECT no_such_column FROM half;")]
    monkeypatch.setattr("warehouse.schema.available", lambda: broken)
    with pytest.raises(duckdb.Error):
        migrate(con)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "half" not in tables
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 1
