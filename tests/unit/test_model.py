"""The trained-model estimator, on a fake encoder: shapes, gating, calibration, thresholds, evidence."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers.base import PassageInput
from classifiers.codebook import FRAMES
from classifiers.encoder import TokenScores
from classifiers.model import HEADS, FrameModel, Platt, best_threshold, evidence_span
from tests.unit.fakes import HashingEncoder

BLOB = "Whitehall resists everything and the machine protects itself."
ADVICE = "Officials gave narrow advice with too few options for the minister."
NOISE = "The bus service to the village was cut and the roads need repair."


def dataset(n: int = 60):
    texts, Y = [], []
    for i in range(n):
        for text, row in ((BLOB, [1, 1, 0, 0, 0, 0, 0, 0]), (ADVICE, [1, 0, 0, 1, 0, 0, 0, 0]),
                          (NOISE, [0] * 8)):
            texts.append(f"{text} Remark {i}.")
            Y.append(row)
    # every frame needs positives among relevant passages
    for k in range(2, 8):
        if k == 3:
            continue
        for i in range(6):
            texts.append(f"Officials and {FRAMES[k - 1]} matter {i}.")
            row = [1] + [0] * 7
            row[k] = 1
            Y.append(row)
    return texts, np.array(Y)


@pytest.fixture(scope="module")
def fitted():
    encoder = HashingEncoder()
    texts, Y = dataset()
    X = encoder.encode(texts)
    return FrameModel(encoder, C=4.0, model_version="test-1").fit(X, Y, X, Y, texts, texts), encoder


def test_fit_returns_self_and_learns_state_with_trailing_underscores(fitted):
    model, _ = fitted
    assert model.coef_.shape == (len(HEADS), HashingEncoder.dim)
    assert model.lexical_coef_.shape == (len(HEADS), len(model.vectorizer_.vocabulary_))
    assert len(model.calibration_) == len(model.thresholds_) == len(HEADS)


def test_predictions_are_gated_and_shaped_like_the_contract(fitted):
    model, _ = fitted
    blob, advice, noise = model.predict([PassageInput(BLOB), PassageInput(ADVICE), PassageInput(NOISE)])
    assert blob.relevant and "blob" in blob.labels
    assert advice.relevant and "advice" in advice.labels
    assert not noise.relevant and noise.labels == [] and not noise.explicit_trait_vocabulary
    for p in (blob, advice, noise):
        assert set(p.frames) == set(FRAMES) and all(0.0 <= v <= 1.0 for v in p.frames.values())
        assert p.model_version == "test-1"
    assert set(blob.evidence) >= {"blob", "relevant"}


def test_decisions_never_carry_frames_without_relevance(fitted):
    model, encoder = fitted
    proba = model.predict_proba(encoder.encode([NOISE, BLOB]), [NOISE, BLOB])
    proba[:, 1:] = 0.99  # frames very likely, but the gate says no for the first
    proba[0, 0] = 0.0
    decisions = model.decide(proba)
    assert not decisions[0].any() and decisions[1, 0]


def test_platt_is_monotone_and_threshold_maximises_f1():
    logits = np.linspace(-3, 3, 50)
    y = (logits + np.random.default_rng(0).normal(0, 1, 50) > 0).astype(int)
    cal = Platt.fit(logits, y)
    p = cal(logits)
    assert np.all(np.diff(p) >= 0) and 0 < p[0] < p[-1] < 1
    assert best_threshold(np.array([0.1, 0.4, 0.6, 0.9]), np.array([0, 0, 1, 1])) == pytest.approx(0.6)


def test_evidence_is_the_sentence_whose_tokens_push_the_logit_most():
    text = "The weather was fine. Whitehall blocked it all. We went home."
    start = text.index("Whitehall")
    offsets = np.array([[0, 3], [4, 11], [start, start + 9], [start + 10, start + 17], [text.index("home"), len(text) - 1]])
    scores = np.zeros((5, len(HEADS)))
    scores[2, 1] = 5.0  # "Whitehall" drives the blob head
    view = TokenScores(scores, offsets, 5)
    assert evidence_span(text, view, 1, text) == "Whitehall blocked it all."
    assert evidence_span(text, None, 1, text) == "The weather was fine."  # no token view: first sentence


def test_lexical_terms_can_carry_the_evidence():
    text = "The weather was fine. Whitehall blocked it all."
    assert evidence_span(text, None, 1, text, {"whitehall": 2.0, "weather": 0.1}) == "Whitehall blocked it all."


def test_without_lexical_features_the_model_needs_only_embeddings():
    encoder = HashingEncoder()
    texts, Y = dataset(20)
    X = encoder.encode(texts)
    model = FrameModel(encoder, lexical_weight=0.0).fit(X, Y, X, Y)
    assert model.lexical_coef_ is None and model.predict_proba(X).shape == (len(texts), len(HEADS))
