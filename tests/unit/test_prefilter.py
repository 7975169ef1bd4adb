"""The prefilter and the cascade: shipped weights verified, recall kept, dropped passages labelled."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from classifiers.base import PassageInput, Prediction
from classifiers.cascade import CascadeClassifier
from classifiers.codebook import CODEBOOK_VERSION, FRAMES
from classifiers.prefilter import Prefilter, read_card, shipped_prefilter_dir
from classifiers.registry import ModelUnavailableError, load_classifier

RELEVANT = [
    "The permanent secretary gave the minister frank advice before the decision was taken.",
    "Officials in the Cabinet Office were slow to deliver the programme and ministers blamed the blob.",
]
IRRELEVANT = [
    "The mackerel quota in the North Sea has been agreed with Norway for the coming year.",
    "Thank you, my Lady.",
]


class FakeModel:
    """Records what reaches it; says every passage it sees is relevant."""

    model_version = "frames-fake"
    codebook_version = CODEBOOK_VERSION

    def __init__(self) -> None:
        self.seen: list[str] = []

    def predict(self, items):
        self.seen += [i.text for i in items]
        return [Prediction(True, 0.9, {f: 0.5 for f in FRAMES}, ["advice"], False, {"advice": i.text},
                           self.model_version, self.codebook_version) for i in items]


def test_shipped_prefilter_is_verified_and_recall_tuned():
    card = read_card()
    prefilter = Prefilter.load()
    assert prefilter.version == card["version"] == f"pf-{prefilter.fingerprint()}"
    assert 0 < prefilter.threshold < 0.5
    for key in ("test/real", "test/written"):  # the measured cost on the held-out splits
        assert card["metrics"][key]["gate_recall_lost"] <= 0.02
        assert card["metrics"][key]["relevant_dropped"] <= 0.03


def test_prefilter_keeps_civil_service_talk_and_drops_the_rest():
    p, keep = Prefilter.load().keep(RELEVANT + IRRELEVANT)
    assert keep.tolist() == [True, True, False, False]
    assert np.all((p >= 0) & (p <= 1))


def test_tampered_weights_are_refused(tmp_path):
    folder = tmp_path / "pf"
    shutil.copytree(shipped_prefilter_dir(), folder)
    data = bytearray((folder / "prefilter.npz").read_bytes())
    data[-20] ^= 0xFF
    (folder / "prefilter.npz").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="hash"):
        Prefilter.load(folder)


def test_cascade_sends_only_kept_passages_to_the_model_and_keeps_order():
    model = FakeModel()
    cascade = CascadeClassifier(model, Prefilter.load())
    items = [PassageInput(t) for t in (IRRELEVANT[0], RELEVANT[0], IRRELEVANT[1], RELEVANT[1])]
    out = cascade.predict(items)
    assert model.seen == [RELEVANT[0], RELEVANT[1]]
    assert [p.relevant for p in out] == [False, True, False, True]
    assert {p.model_version for p in out} == {f"frames-fake+{cascade.prefilter_version}"}
    dropped = out[0]
    assert dropped.labels == [] and dropped.evidence == {} and not dropped.explicit_trait_vocabulary
    assert dropped.frames == {f: 0.0 for f in FRAMES} and 0 <= dropped.p_relevant < cascade.prefilter.threshold
    assert out[1].evidence == {"advice": RELEVANT[0]}
    assert (cascade.kept, cascade.dropped) == (2, 2)
    assert cascade.predict([]) == []


def test_load_classifier_names_the_cascade_without_loading_anything():
    loaded = load_classifier(prefilter=True)
    plain = load_classifier()
    version = read_card()["version"]
    assert loaded.classifier.model_version == f"{plain.classifier.model_version}+{version}"
    assert loaded.card["model_version"] == loaded.classifier.model_version
    assert loaded.card["inner_model_version"] == plain.classifier.model_version
    assert loaded.classifier.model._model is None  # the encoder is not loaded until a prediction
    with pytest.raises(ModelUnavailableError):
        load_classifier(prefilter=shipped_prefilter_dir().parent / "no-such-prefilter")
