"""`whitehall export`: partitioned Parquet and CSV that read back with identical row counts."""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.small_warehouse import build
from warehouse import connect
from warehouse.export import export


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("export") / "whitehall.duckdb")


def _read(path, fmt, partitioned):
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    pattern = f"{path}/**/*.{fmt}" if partitioned else str(path)
    return duckdb.connect().execute(
        f"SELECT * FROM {reader}('{pattern}'" + (", hive_partitioning = true)" if partitioned else ")"))


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_view_reads_back_with_identical_row_counts(db, tmp_path, fmt):
    con = connect(db)
    done = export(con, tmp_path / "out", fmt)
    names = {d.name for d in done}
    assert {"v_passages", "v_passage_labels", "v_passage_evidence", "trend_frame_quarterly"} <= names
    assert ("v_passage_embeddings" in names) == (fmt == "parquet")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert (tmp_path / "out" / "SCHEMA.md").read_text().startswith("# The warehouse for researchers")
    for item in done:
        expected = con.execute(f"SELECT count(*) FROM {item.name}").fetchone()[0]
        assert item.rows == expected == manifest["datasets"][item.name]["rows"]
        back = _read(item.path, fmt, item.partitioned).fetchall()
        assert len(back) == expected, item.name


def test_passages_are_partitioned_by_year_and_source_type_and_keep_their_columns(db, tmp_path):
    con = connect(db)
    export(con, tmp_path / "out", "parquet")
    folders = sorted(p.relative_to(tmp_path / "out" / "v_passages").as_posix()
                     for p in (tmp_path / "out" / "v_passages").glob("year=*/source_type=*"))
    expected = [f"year={y}/source_type={t}" for y, t in con.execute(
        "SELECT DISTINCT year(date), source_type FROM v_passages ORDER BY ALL").fetchall()]
    assert folders == expected and len(folders) >= 4
    back = duckdb.connect().execute(
        f"SELECT year, source_type, count(*), count(DISTINCT passage_id) FROM read_parquet("
        f"'{tmp_path}/out/v_passages/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL").fetchall()
    original = con.execute("SELECT year(date), source_type, count(*), count(DISTINCT passage_id) FROM v_passages"
                           " GROUP BY ALL ORDER BY ALL").fetchall()
    assert back == original
    columns = [c["name"] for c in json.loads((tmp_path / "out" / "manifest.json").read_text())
               ["datasets"]["v_passages"]["columns"]]
    assert columns[:13] == [r[0] for r in con.execute("DESCRIBE v_passages").fetchall()]


def test_a_non_empty_folder_is_refused_unless_forced(db, tmp_path):
    con = connect(db)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep")
    with pytest.raises(FileExistsError, match="not empty"):
        export(con, tmp_path / "out", "parquet")
    export(con, tmp_path / "out", "csv", force=True)
    assert not (tmp_path / "out" / "mine.txt").exists()
