"""Fill a warehouse with N synthetic passages and their labels, generated inside DuckDB.

Documents of 20 passages, spread over 2016-2026 and every source, with the roles and parties
of the vocabularies; passage text is drawn from a pool of invented sample-archive passages
with a unique tail, so that it is as long as real text and does not all compress away; nine
label rows per passage from one current model (about 15% relevant), whose card carries the
shipped model's measured error (so the trend refresh corrects, as it does in production). Ids are hashes, like real
ones. Nothing leaves DuckDB: 10M passages are a few SQL statements. Like the loader, it logs
the passages it adds, with their decisions, for the trend refresh (once it has run).

    python -m benchmarks.synthetic_warehouse data/bench.duckdb 10000000
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from warehouse.db import open_db
from warehouse.model_registry import register_model

MODEL = "synthetic-frames-1"
SHIPPED_CARD = Path(__file__).resolve().parents[1] / "classifiers" / "model" / "model_card.json"
PER_DOCUMENT = 20
SOURCES = [("hansard", "debate"), ("hansard_wms", "speech"), ("govuk", "speech"),
           ("ministers_reflect", "memoir_interview"), ("library", "memoir_interview")]
ROLES = ["minister", "shadow_minister", "backbench_mp", "peer", "official", "special_adviser",
         "committee_member", "external_witness", "author", "unknown"]
PARTIES = ["Conservative", "Labour", "Liberal Democrat", "Scottish National Party", "Crossbench", None]
LABELS = ["relevant", "blob", "hero", "advice", "delivery", "candour", "understanding", "impartiality",
          "explicit_trait_vocabulary"]


def _pool(con: duckdb.DuckDBPyConnection, texts: list[str]) -> None:
    con.execute("CREATE TEMP TABLE pool (k INTEGER, text VARCHAR)")
    con.executemany("INSERT INTO pool VALUES (?, ?)", list(enumerate(texts)))


def generate(path: Path, n_passages: int, texts: list[str], *, start: int = 0,
             threads: int | None = None, log=print, first_day: str = "2016-01-01", days: int = 3925,
             model: str = MODEL) -> dict:
    """Add passages start .. start+n_passages-1 (whole documents) to the warehouse at `path`,
    dated uniformly over `days` days from `first_day` (default: 2016 to late 2026)."""
    con = open_db(path, threads=threads)
    con.execute("SET enable_progress_bar = false")
    # The shipped model's measured error, so that the trend refresh runs its real correction path
    metrics = json.loads(SHIPPED_CARD.read_text())["metrics"]
    register_model(con, model, "ifg-2026.1", "trained", {"model_version": model, "synthetic": True,
                                                         "metrics": metrics})
    _pool(con, texts)
    n_docs = -(-n_passages // PER_DOCUMENT)
    d0 = start // PER_DOCUMENT
    d1, npool = d0 + n_docs, len(texts)
    sources = "[" + ", ".join(f"'{s}'" for s, _ in SOURCES) + "]"
    types = "[" + ", ".join(f"'{t}'" for _, t in SOURCES) + "]"
    roles = "[" + ", ".join(f"'{r}'" for r in ROLES) + "]"
    parties = "[" + ", ".join("NULL" if p is None else f"'{p}'" for p in PARTIES) + "]"
    timings = {}

    t = time.perf_counter()
    con.execute(f"""
        CREATE TEMP TABLE gen_docs AS
        SELECT d, 'synthetic:' || d AS document_id,
               {sources}[1 + d % {len(SOURCES)}] AS source, {types}[1 + d % {len(SOURCES)}] AS source_type,
               DATE '{first_day}' + CAST(hash(d, 'date') % {int(days)} AS INTEGER) AS date
        FROM range({d0}, {d1}) AS t(d)""")
    con.execute("""
        INSERT INTO documents
        SELECT document_id, source, source_type, 'synthetic/' || d, '', 'https://example.org/synthetic/' || d,
               'Synthetic document ' || d, date, md5(document_id), NULL, 20, '{}'::JSON, 0, now()
        FROM gen_docs""")
    timings["documents_s"] = time.perf_counter() - t

    t = time.perf_counter()
    con.execute(f"""
        INSERT INTO passages
        SELECT md5('p' || i)[:24] AS passage_id, g.document_id, (i % 20)::INTEGER, g.source, g.source_type,
               'https://example.org/synthetic/' || g.d, 'synthetic:' || i, g.date,
               'Speaker ' || (hash(g.d, 's') % 5000), 'person/' || (hash(g.d, 's') % 5000),
               {roles}[1 + (hash(g.d, 's') % {len(ROLES)})::BIGINT], {parties}[1 + (hash(g.d, 's') % {len(PARTIES)})::BIGINT],
               NULL, p.text || ' (' || i || ')', NULL, md5(p.text || i)
        FROM range({d0} * 20, {d1} * 20) AS t(i)
        JOIN gen_docs AS g ON g.d = i // 20
        JOIN pool AS p ON p.k = (hash(i, 'text') % {npool})::INTEGER""")
    timings["passages_s"] = time.perf_counter() - t

    t = time.perf_counter()
    labels = "[" + ", ".join(f"'{x}'" for x in LABELS) + "]"
    # Like the loader, log the new passages and their decisions for the trend refresh (in the
    # transaction of the labels); pointless before the trend tables were first materialised.
    refreshed = con.execute("SELECT count(*) FROM trend_refresh_state WHERE quarter = '*'").fetchone()[0] > 0
    con.execute("BEGIN TRANSACTION")
    con.execute(f"""
        CREATE OR REPLACE TEMP {'TABLE' if refreshed else 'VIEW'} gen_labels AS
        WITH p AS (
            SELECT md5('p' || i)[:24] AS passage_id, md5(pl.text || i) AS content_hash,
                   (hash(i, 'r') % 1000) / 1000.0 AS u
            FROM range({d0} * 20, {d1} * 20) AS t(i) JOIN pool AS pl ON pl.k = (hash(i, 'text') % {npool})::INTEGER
        )
        SELECT passage_id, content_hash, '{model}' AS model_version, 'ifg-2026.1' AS codebook_version,
               {labels}[k::BIGINT] AS label,
               CASE WHEN k = 1 THEN u ELSE (hash(passage_id, k) % 1000) / 1000.0 END AS probability,
               CASE WHEN k = 1 THEN u < 0.15
                    WHEN k = 9 THEN u < 0.15 AND hash(passage_id, k) % 20 = 0
                    ELSE u < 0.15 AND hash(passage_id, k) % 1000 < 300 END AS decision,
               NULL AS evidence, now() AS labelled_at
        FROM p, range(1, 10) AS r(k)""")
    con.execute("INSERT INTO labels SELECT * FROM gen_labels")
    if refreshed:
        decided = ", ".join(f"bool_or(decision) FILTER (WHERE label = '{x}'), max(probability) FILTER (WHERE label = '{x}')"
                            for x in LABELS[:-1])
        con.execute(f"""
            INSERT INTO trend_dirty_passages
            SELECT passage_id, content_hash, {decided},
                   bool_or(decision) FILTER (WHERE label = '{LABELS[-1]}'), '{model}', now()
            FROM gen_labels GROUP BY passage_id, content_hash""")
    con.execute("COMMIT")
    con.execute(f"DROP {'TABLE' if refreshed else 'VIEW'} gen_labels")
    timings["labels_s"] = time.perf_counter() - t
    t = time.perf_counter()
    con.execute("CHECKPOINT")
    timings["checkpoint_s"] = time.perf_counter() - t
    con.close()
    log(f"generated {n_passages:,} passages into {path} in {sum(timings.values()):.0f} s")
    return timings


def next_start(path: Path) -> int:
    """The first passage number after every synthetic document in the warehouse (0 if none):
    the `start` that adds passages without reusing an id."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        d = con.execute("SELECT max(CAST(split_part(document_id, ':', 2) AS BIGINT)) FROM documents "
                        "WHERE starts_with(document_id, 'synthetic:')").fetchone()[0]
    finally:
        con.close()
    return 0 if d is None else (d + 1) * PER_DOCUMENT


def main(argv: list[str]) -> None:
    from benchmarks.workloads import sample_passages

    path, n = Path(argv[0]), int(argv[1])
    texts = [t.text for t in sample_passages()]
    generate(path, n, texts)


if __name__ == "__main__":
    main(sys.argv[1:])
