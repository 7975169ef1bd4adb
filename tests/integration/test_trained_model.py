"""The shipped trained model with the real encoder: loads offline, labels, verifies its files,
and training is reproducible."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from classifiers.base import PassageInput
from classifiers.labelled import load_written
from classifiers.registry import ModelUnavailableError, load_classifier, shipped_model_dir
from classifiers.train import TrainConfig, train

pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def shipped():
    loaded = load_classifier()
    loaded.classifier.load()
    return loaded


def test_the_shipped_model_names_itself_and_its_measured_quality(shipped):
    card = shipped.card
    assert shipped.kind == "trained" and card["codebook_version"] == "ifg-2026.1"
    for key in ("test/real", "test/written", "dev/real"):
        assert 0 <= card["metrics"][key]["macro_f1_frames"] <= 1
        assert "confusion" in card["metrics"][key]
    assert card["training_data_sha256"] and card["encoder"]["revision"]


def test_labels_and_evidence_on_clear_cases(shipped):
    texts = [
        "Whitehall is a vast machine that resists everything this government tries to do; the blob wins every time.",
        "The bus from Penrith to Keswick was withdrawn last spring and the villages are cut off.",
    ]
    blob, bus = shipped.classifier.predict([PassageInput(t) for t in texts])
    assert blob.relevant and blob.p_relevant > bus.p_relevant
    assert not bus.relevant and bus.labels == []
    assert all(label in blob.evidence and blob.evidence[label] in texts[0] for label in blob.labels)
    assert blob.vector is not None and abs(float(np.linalg.norm(blob.vector)) - 1) < 1e-3


def test_a_missing_or_corrupt_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelUnavailableError, match="Train one with `whitehall train`"):
        load_classifier(tmp_path / "nowhere")
    corrupt = tmp_path / "model"
    shutil.copytree(shipped_model_dir(), corrupt)
    (corrupt / "heads.skops").write_bytes(b"not a model")
    with pytest.raises(ModelUnavailableError, match="corrupt"):
        load_classifier(corrupt).classifier.load()


def test_training_twice_with_the_same_data_and_seed_gives_the_same_metrics(tmp_path):
    data = load_written()
    data = data.subset([i % 4 == 0 for i in range(len(data))])  # a quarter of the written set
    config = TrainConfig(fine_tune=False)
    cache = tmp_path / "cache.sqlite"  # the second run reuses the embeddings: fitting must be deterministic
    first = train(None, tmp_path / "a", config, data=data, log=lambda _: None, cache_path=cache)
    second = train(None, tmp_path / "b", config, data=data, log=lambda _: None, cache_path=cache)
    assert first["model_version"] == second["model_version"]
    assert json.dumps(first["metrics"], sort_keys=True) == json.dumps(second["metrics"], sort_keys=True)
    assert first["thresholds"] == second["thresholds"]
