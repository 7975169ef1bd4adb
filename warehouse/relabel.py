"""Relabelling the warehouse with the current model; earlier models' labels stay as history."""

from __future__ import annotations

from typing import Iterator

import duckdb

from classifiers.base import Classifier, PassageInput
from warehouse.loader import write_labels


def unlabelled(con: duckdb.DuckDBPyConnection, model_version: str,
               batch_size: int = 2000) -> Iterator[list[tuple[str, str, PassageInput]]]:
    """Batches of current passages that have no label from `model_version`."""
    cursor = con.cursor()
    cursor.execute(
        "SELECT p.passage_id, p.content_hash, p.text, coalesce(p.context, '') FROM passages AS p "
        "WHERE NOT EXISTS (SELECT 1 FROM labels AS l WHERE l.passage_id = p.passage_id "
        "AND l.content_hash = p.content_hash AND l.model_version = ?) ORDER BY p.passage_id",
        [model_version],
    )
    while rows := cursor.fetchmany(batch_size):
        yield [(pid, content_hash, PassageInput(text, context)) for pid, content_hash, text, context in rows]


def relabel_batch(con: duckdb.DuckDBPyConnection, batch: list[tuple[str, str, PassageInput]],
                  classifier: Classifier) -> int:
    """Classify one batch and write its labels in one transaction."""
    predictions = classifier.predict([item for _, _, item in batch])
    con.execute("BEGIN TRANSACTION")
    try:
        write_labels(con, {(pid, content_hash): p for (pid, content_hash, _), p in zip(batch, predictions)})
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(batch)
