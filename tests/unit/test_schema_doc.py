"""warehouse/SCHEMA.md documents every researcher-facing view with exactly its columns and types."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from warehouse.db import open_db

HEADING = re.compile(r"^### `(?P<name>\w+)`")
ROW = re.compile(r"^\| `(?P<column>\w+)` \| (?P<type>[A-Z0-9\[\]]+) \|")
INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER"}


def documented() -> dict[str, list[tuple[str, str]]]:
    """View (or table) name -> [(column, type)] from SCHEMA.md's sections."""
    text = resources.files("warehouse").joinpath("SCHEMA.md").read_text("utf-8")
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in text.splitlines():
        if match := HEADING.match(line):
            current = match["name"]
            sections[current] = []
        elif current and (match := ROW.match(line)):
            sections[current].append((match["column"], match["type"]))
    return sections


def _family(type_name: str) -> str:
    return "INTEGER" if type_name in INTEGERS else type_name


def researcher_views(con) -> list[str]:
    """Every view but the internal staging ones (`stg_*`, documented as carrying no promise)."""
    return [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                      "AND NOT starts_with(view_name, 'stg_')").fetchall()]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    return open_db(tmp_path_factory.mktemp("schema") / "w.duckdb")


def test_every_view_in_the_warehouse_is_documented_with_its_columns_and_types(con):
    docs = documented()
    views = researcher_views(con)
    assert {"v_passages", "v_passage_labels", "v_annotations", "trend_frame_quarterly"} <= set(views)
    for view in views:
        assert view in docs, f"view {view} is not documented in warehouse/SCHEMA.md"
        actual = [(r[0], _family(r[1])) for r in con.execute(f"DESCRIBE {view}").fetchall()]
        assert [(c, _family(t)) for c, t in docs[view]] == actual, f"SCHEMA.md's columns of {view} differ"


def test_every_view_is_in_the_catalog_and_every_catalogued_view_exists(con):
    catalog = dict(con.execute("SELECT view_name, status FROM view_catalog").fetchall())
    views = set(researcher_views(con))
    assert set(catalog) == views, "register new views in view_catalog (only stg_* views are internal)"
    assert set(catalog.values()) <= {"stable", "deprecated"}


def test_the_catalog_table_itself_is_documented(con):
    actual = [(r[0], r[1]) for r in con.execute("DESCRIBE view_catalog").fetchall()]
    assert documented()["view_catalog"] == actual


def test_every_example_query_is_listed_with_its_question():
    text = resources.files("warehouse").joinpath("SCHEMA.md").read_text("utf-8")
    for path in resources.files("warehouse").joinpath("queries").iterdir():
        if path.name.endswith(".sql"):
            assert f"`{path.name}`" in text, f"{path.name} is not listed in SCHEMA.md"
            assert path.read_text("utf-8").startswith("-- Question: ")
