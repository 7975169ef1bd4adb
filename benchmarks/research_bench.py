"""Measure the researchers' interface: the search index (build, upkeep, query) against a naive
ILIKE scan in DuckDB, exact vector search, and export.

    python -m benchmarks.research_bench --db data/whitehall.duckdb [--scale 25] [--out benchmarks/out]

`--scale N` makes an N-times larger warehouse from the given one (each passage repeated with a
new id, its text followed by another passage's text) to see how the choices grow. Vectors are
random unit vectors: the latency of exact search does not depend on what they encode.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from warehouse.db import open_db
from warehouse.embeddings import nearest, store_vectors
from warehouse.export import export
from warehouse.search_index import open_index, search, upkeep

PHRASES = ("permanent secretary", "deep state", "officials", "the blob", "private office", "civil service",
           "speaking plainly", "delivery", "Whitehall machine", "advice to ministers")


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    """(median milliseconds, last result)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times), result


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def scale_up(con, factor: int) -> None:
    """Repeat every passage (and its labels) `factor - 1` more times under new ids and texts."""
    for i in range(1, factor):
        con.execute(f"""
            INSERT INTO passages
            SELECT passage_id || '_{i}', document_id, seq, source, source_type, url, locator, date, speaker,
                   speaker_id, role, party, department, t.text || ' ' || o.text, context,
                   sha256(t.text || ' ' || o.text || '{i}')
            FROM passages AS t
            POSITIONAL JOIN (SELECT text FROM passages WHERE passage_id NOT LIKE '%\\_%' ESCAPE '\\'
                             ORDER BY md5(passage_id || '{i}')) AS o
            WHERE t.passage_id NOT LIKE '%\\_%' ESCAPE '\\'""")
        con.execute(f"""
            INSERT INTO labels
            SELECT l.passage_id || '_{i}', p.content_hash, l.model_version, l.codebook_version, l.label,
                   l.probability, l.decision, l.evidence, l.labelled_at
            FROM labels AS l JOIN passages AS p ON p.passage_id = l.passage_id || '_{i}'""")


def measure_search(con, folder: Path) -> dict:
    out: dict = {}
    build_ms, stats = timed(lambda: upkeep(con, folder))
    out["index_build_s"] = round(build_ms / 1000, 2)
    out["indexed"] = stats.indexed
    out["index_mb"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)
    noop_ms, noop = timed(lambda: upkeep(con, folder))
    out["noop_upkeep_s"] = round(noop_ms / 1000, 2)
    assert not noop.changed
    n_change = max(1, stats.indexed // 100)
    con.execute(f"UPDATE passages SET text = text || ' Amended.', content_hash = sha256(text || ' Amended.')"
                f" WHERE passage_id IN (SELECT passage_id FROM passages ORDER BY md5(passage_id) LIMIT {n_change})")
    change_ms, changed = timed(lambda: upkeep(con, folder))
    out["one_percent_changed_upkeep_s"] = round(change_ms / 1000, 2)
    out["one_percent_changed"] = {"added": changed.added, "deleted": changed.deleted}
    index = open_index(folder)
    tantivy_ms, ilike_first_ms, ilike_count_ms = [], [], []
    for phrase in PHRASES:
        ms, _ = timed(lambda: search(index, phrase, limit=20), repeat=15)
        tantivy_ms.append(ms)
        ms, _ = timed(lambda: con.execute("SELECT passage_id, text FROM v_passages WHERE text ILIKE ? LIMIT 20",
                                          [f"%{phrase}%"]).fetchall(), repeat=5)
        ilike_first_ms.append(ms)
        ms, _ = timed(lambda: con.execute("SELECT count(*) FROM v_passages WHERE text ILIKE ?",
                                          [f"%{phrase}%"]).fetchall(), repeat=5)
        ilike_count_ms.append(ms)
    filtered_ms, _ = timed(lambda: search(index, "officials", frame="blob", limit=20), repeat=15)
    out["query_ms"] = {
        "tantivy_ranked_top20_median": round(statistics.median(tantivy_ms), 2),
        "tantivy_ranked_top20_p95": round(percentile(tantivy_ms, 95), 2),
        "tantivy_with_frame_filter_median": round(filtered_ms, 2),
        "duckdb_ilike_first20_unranked_median": round(statistics.median(ilike_first_ms), 2),
        "duckdb_ilike_full_scan_count_median": round(statistics.median(ilike_count_ms), 2),
        "duckdb_ilike_full_scan_count_p95": round(percentile(ilike_count_ms, 95), 2),
    }
    return out


def measure_similar(con) -> dict:
    hashes = [r[0] for r in con.execute("SELECT DISTINCT content_hash FROM passages").fetchall()]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(hashes), 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store_ms, _ = timed(lambda: [store_vectors(con, dict(zip(hashes[s:s + 5000], vectors[s:s + 5000])), "bench@0",
                                               "encoder") for s in range(0, len(hashes), 5000)])
    queries = rng.normal(size=(10, 384)).astype(np.float32)
    latencies = [timed(lambda q=q: nearest(con, q, "bench@0", k=20), repeat=3)[0] for q in queries]
    return {"vectors": len(hashes), "store_s": round(store_ms / 1000, 2),
            "nearest_k20_median_ms": round(statistics.median(latencies), 1),
            "nearest_k20_p95_ms": round(percentile(latencies, 95), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="research-bench-"))
    try:
        shutil.copy(args.db, work / "w.duckdb")
        con = open_db(work / "w.duckdb")
        if args.scale > 1:
            scale_up(con, args.scale)
        report: dict = {"passages": con.execute("SELECT count(*) FROM passages").fetchone()[0], "scale": args.scale}
        export_ms, done = timed(lambda: export(con, work / "export", "parquet"))
        report["export_parquet"] = {"seconds": round(export_ms / 1000, 2), "rows": {d.name: d.rows for d in done}}
        report["search"] = measure_search(con, work / "search")
        report["similar"] = measure_similar(con)
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"research-x{args.scale}.json"
        path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(report, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
