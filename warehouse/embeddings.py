"""Passage embeddings in the warehouse, and semantic search over them (`whitehall similar`).

Vectors are keyed by content hash and encoder, so a text is embedded once however many
passages carry it, and a reload that keeps the text keeps its vector. They arrive two ways:
- from the classifier, when its predictions carry `Prediction.vector` (the trained model
  embeds every passage it labels): stored under the classifier's encoder name at no cost;
- from an encoder, for current passages that lack one (`fill_missing`, used by
  `whitehall embed` and, when enabled, by the nightly run).
Search is exact: DuckDB's `array_cosine_similarity` over every stored vector of the encoder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping, Sequence

import duckdb
import numpy as np
import pyarrow as pa

from classifiers.base import Prediction

DIM = 384


def vector_encoder(classifier: object) -> str | None:
    """The encoder name a classifier's `Prediction.vector`s belong under, or None.

    A lazily loaded model is asked once it has predicted (`load()` then costs nothing). A model
    that reads the context before the passage embeds another text than the passage: None.
    """
    model = classifier.load() if hasattr(classifier, "load") else classifier
    if getattr(model, "use_context", False):
        return None
    return getattr(getattr(model, "encoder", None), "name", None)


def store_vectors(con: duckdb.DuckDBPyConnection, vectors: Mapping[str, np.ndarray], encoder: str,
                  origin: str) -> int:
    """Insert (or replace) vectors by content hash; vectors of another dimension are skipped."""
    keys = [k for k, v in vectors.items() if v is not None and np.asarray(v).shape == (DIM,)]
    if not keys:
        return 0
    matrix = np.stack([np.asarray(vectors[k], dtype=np.float32) for k in keys])
    new_vectors = pa.table({  # noqa: F841 (DuckDB reads this local by name: a replacement scan)
        "content_hash": keys,
        "vector": pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel(), pa.float32()), DIM),
    })
    con.execute(
        "INSERT OR REPLACE INTO passage_embeddings (content_hash, encoder, vector, origin, created_at)"
        " SELECT content_hash, ?, vector::FLOAT[384], ?, now() FROM new_vectors", [encoder, origin])
    return len(keys)


def store_prediction_vectors(con: duckdb.DuckDBPyConnection, predictions: Mapping[tuple[str, str], Prediction],
                             classifier: object) -> int:
    """Keep the vectors a classifier computed anyway (none from the keyword baseline)."""
    vectors = {content_hash: p.vector for (_, content_hash), p in predictions.items() if p.vector is not None}
    encoder = vector_encoder(classifier) if vectors else None
    return store_vectors(con, vectors, encoder, "prediction") if encoder else 0


def missing(con: duckdb.DuckDBPyConnection, encoder: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(content hash, text) of current passage texts with no vector from `encoder`."""
    sql = ("SELECT content_hash, any_value(text) FROM passages WHERE content_hash NOT IN "
           "(SELECT content_hash FROM passage_embeddings WHERE encoder = ?) GROUP BY content_hash "
           "ORDER BY content_hash")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return con.execute(sql, [encoder]).fetchall()


def fill_missing(con: duckdb.DuckDBPyConnection, encoder, *, batch: int = 256, limit: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Encode and store every current passage text the encoder has not embedded; return how many."""
    todo = missing(con, encoder.name, limit)
    done = 0
    for start in range(0, len(todo), batch):
        chunk = todo[start:start + batch]
        vectors = encoder.encode([text for _, text in chunk])
        done += store_vectors(con, dict(zip((h for h, _ in chunk), vectors)), encoder.name, "encoder")
        if progress:
            progress(done, len(todo))
    return done


def coverage(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Current passage texts with a vector, per encoder."""
    return dict(con.execute(
        "SELECT encoder, count(DISTINCT content_hash) FROM passage_embeddings "
        "WHERE content_hash IN (SELECT content_hash FROM passages) GROUP BY encoder").fetchall())


def passage_vector(con: duckdb.DuckDBPyConnection, passage_id: str, encoder: str
                   ) -> tuple[str, str, np.ndarray | None] | None:
    """(text, content hash, stored vector or None) of a current passage; None if no such passage."""
    row = con.execute(
        "SELECT p.text, p.content_hash, e.vector FROM passages AS p LEFT JOIN passage_embeddings AS e"
        " ON e.content_hash = p.content_hash AND e.encoder = ? WHERE p.passage_id = ?",
        [encoder, passage_id]).fetchall()  # fetchall: DuckDB 2.0 keeps a partly fetched result open
    if not row:
        return None
    row = row[0]
    return row[0], row[1], None if row[2] is None else np.asarray(row[2], dtype=np.float32)


@dataclass
class Neighbour:
    passage_id: str
    similarity: float
    text: str
    speaker: str | None
    date: date
    url: str | None
    source_type: str
    same_text: int  # other current passages with exactly this text


def nearest(con: duckdb.DuckDBPyConnection, vector: Sequence[float], encoder: str, k: int = 20,
            exclude_hash: str | None = None) -> list[Neighbour]:
    """The k current passage texts closest to `vector` (cosine), one passage shown per text."""
    query = np.asarray(vector, dtype=np.float32).tolist()
    rows = con.execute(
        """
        WITH scored AS (
            SELECT content_hash, array_cosine_similarity(vector, ?::FLOAT[384]) AS similarity
            FROM passage_embeddings
            WHERE encoder = ? AND content_hash IS DISTINCT FROM ?
              AND content_hash IN (SELECT content_hash FROM passages)
            ORDER BY similarity DESC
            LIMIT ?
        ),
        shown AS (
            SELECT s.similarity, p.passage_id, p.text, p.speaker, p.date, p.url, p.source_type,
                   count(*) OVER (PARTITION BY p.content_hash) - 1 AS same_text,
                   row_number() OVER (PARTITION BY p.content_hash ORDER BY p.date, p.passage_id) AS nth
            FROM scored AS s
            JOIN passages AS p USING (content_hash)
        )
        SELECT passage_id, similarity, text, speaker, date, url, source_type, same_text
        FROM shown WHERE nth = 1
        ORDER BY similarity DESC, passage_id
        LIMIT ?
        """, [query, encoder, exclude_hash, k, k]).fetchall()
    return [Neighbour(r[0], float(r[1]), r[2], r[3], r[4], r[5], r[6], int(r[7])) for r in rows]
