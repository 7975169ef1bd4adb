"""Every example query in warehouse/queries/ runs on the sample warehouse and gives sensible answers."""

from __future__ import annotations

from importlib import resources

import pytest

from warehouse import safe_sql

pytestmark = pytest.mark.slow
QUERIES = sorted(p.name for p in resources.files("warehouse").joinpath("queries").iterdir() if p.name.endswith(".sql"))


def run(data, name):
    sql = resources.files("warehouse").joinpath("queries", name).read_text("utf-8")
    result = safe_sql.run(data / "whitehall.duckdb", sql)  # as `whitehall sql --file` runs it
    return [dict(zip(result.columns, row)) for row in result.rows]


def shares(rows, *columns):
    return [r[c] for r in rows for c in columns if r[c] is not None]


@pytest.mark.parametrize("name", QUERIES)
def test_every_example_returns_rows(sample_data, name):
    assert run(sample_data, name), f"{name} returned nothing on the sample warehouse"


def test_blob_ministers_2023(sample_data):
    rows = run(sample_data, "blob_ministers_2023.sql")
    assert all(r["blob_passages"] >= 1 and 0 < r["blob_share"] <= 1 for r in rows)
    assert [r["blob_passages"] for r in rows] == sorted((r["blob_passages"] for r in rows), reverse=True)
    assert all(r["blob_passages"] <= r["relevant_passages"] for r in rows)


def test_committee_traits_by_party(sample_data):
    rows = run(sample_data, "committee_traits_by_party.sql")
    assert "(no party)" in {r["party"] for r in rows}
    assert all(0 <= s <= 1 for s in shares(rows, "trait_share", "advice_share", "impartiality_share"))
    assert all(r["trait_share"] >= max(r["advice_share"], r["delivery_share"], r["candour_share"],
                                       r["understanding_share"], r["impartiality_share"]) for r in rows)


def test_explicit_vocabulary_passages(sample_data):
    rows = run(sample_data, "explicit_vocabulary_passages.sql")
    assert all(r["url"] and r["speaker"] and r["phrase"] and r["phrase"] in r["text"] for r in rows)
    assert min(r["date"] for r in rows).isoformat() >= "2026-07-01"  # the sample's first uses: 2026-Q3


def test_frame_shares_by_year(sample_data):
    rows = run(sample_data, "frame_shares_by_year.sql")
    assert {r["year"] for r in rows} >= set(range(2016, 2027))
    assert all(0 <= s <= 1 for s in shares(rows, "blob_share", "hero_share", "trait_share"))
    trait = {r["year"]: r["trait_share"] for r in rows if r["source_type"] == "debate"}
    assert trait[2026] > trait[2018]  # the sample's traits rise from 2022


def test_blob_since_2023_quarterly(sample_data):
    rows = run(sample_data, "blob_since_2023_quarterly.sql")
    assert rows[0]["quarter"] == "2023-Q1" and len(rows) >= 14
    assert all(r["ci_low"] <= r["blob_share"] <= r["ci_high"] for r in rows if r["blob_share"] is not None)


def test_first_explicit_users(sample_data):
    rows = run(sample_data, "first_explicit_users.sql")
    assert [r["first_use"] for r in rows] == sorted(r["first_use"] for r in rows)
    assert all(r["explicit_passages"] >= 1 for r in rows)


def test_hero_evidence_2025(sample_data):
    rows = run(sample_data, "hero_evidence_2025.sql")
    assert all(r["evidence"] and 0 < r["p_hero"] <= 1 and r["date"].year >= 2025 for r in rows)
