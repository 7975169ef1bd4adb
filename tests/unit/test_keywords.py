"""The keyword baseline: an honest, simple classifier with the real interface."""

from __future__ import annotations

from classifiers.base import PassageInput
from classifiers.codebook import CODEBOOK_VERSION, FRAMES
from classifiers.keywords import KeywordClassifier


def predict(text: str):
    return KeywordClassifier().predict([PassageInput(text)])[0]


def test_blob_language_about_whitehall_is_relevant_and_blob():
    p = predict("Whitehall is a vast machine, and the blob resists every reform we propose.")
    assert p.relevant and "blob" in p.labels
    assert "blob" in p.evidence["blob"]
    assert p.codebook_version == CODEBOOK_VERSION and p.model_version.startswith("keywords-")
    assert set(p.frames) == set(FRAMES)


def test_text_not_about_the_civil_service_gets_no_frames():
    p = predict("The bus from Penrith to Keswick was cut last spring and villages are stranded.")
    assert not p.relevant and p.labels == [] and not p.explicit_trait_vocabulary
    assert all(v == 0.0 for v in p.frames.values())


def test_probabilities_grow_with_cues_and_stay_in_range():
    one = predict("Officials gave poor advice.")
    two = predict("Officials gave poor advice and the advice lacked options.")
    assert 0 < one.frames["advice"] < two.frames["advice"] < 1


def test_output_is_one_prediction_per_input_in_order():
    texts = ["The civil service delivered.", "Potholes.", "Permanent secretaries must speak truth to power."]
    preds = KeywordClassifier().predict([PassageInput(t) for t in texts])
    assert [p.relevant for p in preds] == [True, False, True]
