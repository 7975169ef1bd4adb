"""The model file missing or corrupt: a clear error, and nothing loaded unlabelled."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from classifiers import artifacts
from classifiers.codebook import CODEBOOK_VERSION
from classifiers.keywords import KeywordClassifier
from classifiers.model import HEADS, FrameModel, Platt
from classifiers.registry import LoadedClassifier, ModelUnavailableError
from tests.faults.harness import assert_reconciles, scenario
from warehouse.ingest import UnlabelledPassagesError

pytestmark = pytest.mark.slow

START = date(2026, 7, 1)


class _Encoder:
    def encode(self, texts):
        return np.array([[len(t) % 7, t.count("e"), t.count(" "), 1.0] for t in texts], dtype=np.float32)


@pytest.fixture
def model_dir(tmp_path):
    """A small saved model (heads fitted on random embeddings; calibration and thresholds plain)."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 4))
    model = FrameModel(encoder=_Encoder(), model_version="test-model", lexical_weight=0.0)
    model.vectorizer_ = None  # embeddings only
    model.heads_ = [LogisticRegression().fit(X, rng.integers(0, 2, size=40) | (np.arange(40) == 0))
                    for _ in HEADS]
    model.calibration_ = [Platt() for _ in HEADS]
    model.thresholds_ = np.full(len(HEADS), 0.5)
    folder = artifacts.save(model, tmp_path / "model", {"model_version": "test-model", "codebook_version": CODEBOOK_VERSION})
    assert artifacts.load(folder, _Encoder()).model_version == "test-model"
    return folder


def test_a_corrupt_or_missing_model_file_is_named(model_dir):
    heads = model_dir / artifacts.HEADS_FILE
    data = bytearray(heads.read_bytes())
    data[len(data) // 2] ^= 0xFF
    heads.write_bytes(bytes(data))
    with pytest.raises(artifacts.ModelFileError, match=r"heads.skops is corrupt \(sha256 \w+ != card \w+\)"):
        artifacts.load(model_dir, _Encoder())
    heads.unlink()
    with pytest.raises(artifacts.ModelFileError, match="heads.skops is missing"):
        artifacts.load(model_dir, _Encoder())
    card = model_dir / artifacts.CARD_FILE
    card.write_text(card.read_text()[:40], encoding="utf-8")
    with pytest.raises(artifacts.ModelFileError, match="model card .* is corrupt"):
        artifacts.load(model_dir, _Encoder())
    card.unlink()
    with pytest.raises(artifacts.ModelFileError, match="no model card"):
        artifacts.load(model_dir, _Encoder())


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_the_nightly_run_stops_before_loading_anything_unlabelled(damage, tmp_path, origin, model_dir,
                                                                  monkeypatch, prefect_harness):
    from flows.nightly import nightly

    if damage == "missing":
        target = tmp_path / "no-such-model"
    else:
        target = model_dir
        (model_dir / artifacts.HEADS_FILE).write_bytes(b"not a skops file")
    night = scenario(tmp_path, origin, ["hansard"], start=START, model_dir=target).install(monkeypatch)
    with pytest.raises((ModelUnavailableError, artifacts.ModelFileError), match=str(target.name)):
        nightly()
    with night.read() as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM passages").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM labels").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM run_items").fetchone()[0] == 0
        status, error = con.execute("SELECT status, error FROM runs").fetchone()
        assert status == "failed" and target.name in error
        assert con.execute("SELECT count(*) FROM models").fetchone()[0] == 0  # never made current
        seeded = con.execute("SELECT cursor FROM watermarks").fetchone()[0]
    assert seeded.startswith(f"{int(__import__('datetime').datetime(2026, 7, 1).timestamp()):012d}")
    assert not night.db.exists()


class _Short(KeywordClassifier):
    def predict(self, items):
        return super().predict(items)[:-1]  # one label short


class _Failing(KeywordClassifier):
    calls = 0

    def predict(self, items):
        type(self).calls += 1
        if type(self).calls == 2:
            raise RuntimeError("CUDA out of memory (simulated)")
        return super().predict(items)


@pytest.mark.parametrize("classifier, error", [(_Short, UnlabelledPassagesError), (_Failing, RuntimeError)])
def test_a_classifier_failure_loads_nothing_of_its_batch(classifier, error, tmp_path, origin, monkeypatch,
                                                          prefect_harness):
    from flows import runtime as runtime_module
    from flows.nightly import nightly

    night = scenario(tmp_path, origin, ["hansard"], start=START, load_batch_documents=2).install(monkeypatch)
    broken = classifier()

    def build(cls, settings):
        runtime = night.runtime()
        runtime._model = LoadedClassifier(broken, "keywords", {"model_version": broken.model_version})
        return runtime

    monkeypatch.setattr(runtime_module.Runtime, "build", classmethod(build))
    with pytest.raises(error):
        nightly()
    with night.read() as con:
        labelled = con.execute("SELECT count(*) FROM passages p WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE"
                               " l.passage_id = p.passage_id AND l.content_hash = p.content_hash)").fetchone()[0]
        assert labelled == 0  # no passage without its labels
        committed = con.execute("SELECT count(*) FROM run_items").fetchone()[0]
        assert committed == (0 if classifier is _Short else 2)
    monkeypatch.setattr(runtime_module.Runtime, "build", classmethod(lambda cls, settings: night.runtime()))
    rerun = nightly()
    with night.read() as con:
        assert_reconciles(con, rerun["run_id"])
        assert rerun["totals"]["loaded"] + committed >= rerun["totals"]["discovered"] - rerun["totals"]["skipped"]
