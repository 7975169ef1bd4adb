"""`whitehall export`: the researcher-facing views as Parquet or CSV, for pandas, R, Spark or MotherDuck.

Every view in `view_catalog` is written under its own name. Per-passage views (`v_passage*`: one
row per current passage, or per current passage and label) are partitioned hive-style by `year`
and `source_type` (`v_passages/year=2023/source_type=debate/part_0.parquet`);
the rest (trends, annotations) are single files. SCHEMA.md and a `manifest.json` (row counts,
columns and types, the schema version) are written alongside, so a reader can check what came.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv")
PARTITIONS = ("year", "source_type")
ARRAY_ONLY = {"v_passage_embeddings"}  # vectors: Parquet only


@dataclass
class Exported:
    name: str
    rows: int
    partitioned: bool
    path: Path


def views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The catalogued researcher views present in this warehouse."""
    present = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    return [r[0] for r in con.execute("SELECT view_name FROM view_catalog ORDER BY view_name").fetchall()
            if r[0] in present]


def _select(con: duckdb.DuckDBPyConnection, view: str) -> tuple[str, bool]:
    if not view.startswith("v_passage"):
        return f"SELECT * FROM {view}", False
    columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    extra = ["year(p.date) AS year"] + ([] if "source_type" in columns else ["p.source_type"])
    return (f"SELECT v.*, {', '.join(extra)} FROM {view} AS v "
            f"JOIN passages AS p ON p.passage_id = v.passage_id"), True


def export(con: duckdb.DuckDBPyConnection, out: Path, fmt: str = "parquet", *, force: bool = False,
           only: list[str] | None = None) -> list[Exported]:
    """Write every catalogued view (or `only` these) under `out`; refuse a non-empty folder unless forced."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty; choose a new folder or pass --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    done: list[Exported] = []
    manifest: dict = {"format": fmt, "partitioned_by": list(PARTITIONS), "datasets": {},
                      "schema_version": con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]}
    for view in views(con):
        if (only and view not in only) or (fmt == "csv" and view in ARRAY_ONLY):
            continue
        select, partitioned = _select(con, view)
        rows = con.execute(f"SELECT count(*) FROM ({select})").fetchone()[0]
        partitioned = partitioned and rows > 0  # no rows, no partitions: one empty file keeps the columns
        options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
        if partitioned:
            target = out / view
            con.execute(f"COPY ({select}) TO '{_quote(target)}' "
                        f"({options}, PARTITION_BY ({', '.join(PARTITIONS)}), FILENAME_PATTERN 'part_{{i}}')")
        else:
            target = out / f"{view}.{fmt}"
            con.execute(f"COPY ({select}) TO '{_quote(target)}' ({options})")
        columns = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {select}").fetchall()]
        manifest["datasets"][view] = {"rows": rows, "partitioned": partitioned,
                                      "path": target.relative_to(out).as_posix(),
                                      "columns": [{"name": n, "type": t} for n, t in columns]}
        done.append(Exported(view, rows, partitioned, target))
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    (out / "SCHEMA.md").write_text(resources.files("warehouse").joinpath("SCHEMA.md").read_text("utf-8"),
                                   encoding="utf-8")
    return done


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
