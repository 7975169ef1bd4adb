"""Stored passage embeddings: filled once per text and encoder, searched by cosine similarity."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from classifiers.base import Prediction
from classifiers.codebook import CODEBOOK_VERSION, FRAMES
from tests.small_warehouse import invented_documents, load
from warehouse.db import open_db
from warehouse.embeddings import (coverage, fill_missing, missing, nearest, passage_vector,
                                  store_prediction_vectors, store_vectors, vector_encoder)


class BagOfWords:
    """A small fake encoder: hashed word counts, L2-normalised, 384 dimensions."""

    name = "fake-bow@1"
    dim = 384

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts):
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture
def con(tmp_path):
    con = open_db(tmp_path / "w.duckdb")
    load(con, invented_documents())
    return con


def test_each_distinct_text_is_embedded_once(con):
    encoder = BagOfWords()
    texts = con.execute("SELECT count(DISTINCT content_hash) FROM passages").fetchone()[0]
    assert fill_missing(con, encoder, batch=50) == texts == encoder.calls
    assert fill_missing(con, encoder) == 0 and encoder.calls == texts
    assert coverage(con) == {encoder.name: texts}
    assert con.execute("SELECT count(*) FROM v_passage_embeddings").fetchone()[0] == 192
    norms = con.execute("SELECT min(list_dot_product(vector, vector)), max(list_dot_product(vector, vector))"
                        " FROM passage_embeddings").fetchone()
    assert norms == pytest.approx((1.0, 1.0), abs=1e-5)


def test_nearest_puts_a_paraphrase_first_and_leaves_the_query_passage_out(con):
    encoder = BagOfWords()
    fill_missing(con, encoder)
    pid, text = con.execute("SELECT passage_id, text FROM v_passages ORDER BY length(text) DESC LIMIT 1").fetchone()
    found = passage_vector(con, pid, encoder.name)
    assert found is not None and found[0] == text and found[2] is not None
    hits = nearest(con, found[2], encoder.name, k=5, exclude_hash=found[1])
    assert len(hits) == 5 and pid not in {h.passage_id for h in hits}
    assert [h.similarity for h in hits] == sorted((h.similarity for h in hits), reverse=True)
    query = encoder.encode([text.upper() + " Indeed."])[0]  # the same words, shouted
    best = nearest(con, query, encoder.name, k=1)[0]
    assert best.text == text and best.similarity > 0.95
    assert nearest(con, query, "another-encoder@0", k=3) == []


class Model:
    """A classifier whose predictions carry vectors from its encoder (like FrameModel)."""

    def __init__(self, use_context: bool = False) -> None:
        self.encoder = BagOfWords()
        self.use_context = use_context


class Lazy:
    """A classifier that loads its model on first use (like the registry's LazyTrainedClassifier)."""

    def __init__(self) -> None:
        self.loads = 0

    def load(self):
        self.loads += 1
        return Model()


def test_prediction_vectors_are_kept_under_the_classifiers_encoder(con):
    h = con.execute("SELECT min(content_hash) FROM passages").fetchone()[0]
    vector = np.ones(384, dtype=np.float32) / np.sqrt(384)
    prediction = Prediction(True, 0.9, {f: 0.1 for f in FRAMES}, [], False, {}, "m1", CODEBOOK_VERSION,
                            vector=vector)
    bare = Prediction(True, 0.9, {f: 0.1 for f in FRAMES}, [], False, {}, "m1", CODEBOOK_VERSION)
    lazy = Lazy()
    assert store_prediction_vectors(con, {("p", h): bare}, lazy) == 0 and lazy.loads == 0  # nothing to keep
    assert store_prediction_vectors(con, {("p", h): prediction}, object()) == 0  # no encoder (keywords)
    assert store_prediction_vectors(con, {("p", h): prediction}, Model(use_context=True)) == 0
    assert store_prediction_vectors(con, {("p", h): prediction}, lazy) == 1
    origin, stored, encoder = con.execute(
        "SELECT origin, vector, encoder FROM passage_embeddings WHERE content_hash = ?", [h]).fetchall()[0]
    assert origin == "prediction" and np.allclose(stored, vector) and encoder == "fake-bow@1"
    assert store_vectors(con, {h: np.ones(10)}, "fake-bow@1", "encoder") == 0  # wrong dimension: skipped
    texts = con.execute("SELECT count(DISTINCT content_hash) FROM passages").fetchone()[0]
    assert len(missing(con, "fake-bow@1")) == texts - 1


def test_vector_encoder_reads_the_classifiers_encoder_name():
    assert vector_encoder(Model()) == "fake-bow@1" and vector_encoder(Lazy()) == "fake-bow@1"
    assert vector_encoder(object()) is None and vector_encoder(Model(use_context=True)) is None
