"""The trained classifier: a relevance gate and seven frame heads on sentence embeddings.

- Heads are logistic regressions on the encoder's mean-pooled, normalised embedding; frame
  heads learn P(frame | relevant) from relevant passages only.
- Probabilities are calibrated on the dev split (Platt scaling of each head's logit), and a
  decision threshold per label is tuned there for F1.
- Evidence for a positive label is the sentence whose tokens contribute most to that head's
  logit: with mean pooling a linear logit decomposes exactly over tokens, so the evidence costs
  no extra encoding.
- The explicit-vocabulary flag comes from the rule detector (classifiers/explicit.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import re

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from classifiers.base import PassageInput, Prediction
from classifiers.codebook import CODEBOOK_VERSION, EXPLICIT_FLAG, FRAMES
from classifiers.encoder import TokenScores
from classifiers.explicit import find_explicit
from extractors.passage import split_sentences

HEADS = ("relevant", *FRAMES)


def model_input(item: PassageInput, use_context: bool) -> str:
    """The text the encoder reads: the passage, after its context when that is used."""
    if use_context and item.context:
        return f"{item.context} || {item.text}"
    return item.text


@dataclass
class Platt:
    """A monotone map from a head's logit to a calibrated probability."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, logit: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.a * logit + self.b)))

    @classmethod
    def fit(cls, logit: np.ndarray, y: np.ndarray) -> "Platt":
        if len(np.unique(y)) < 2:
            return cls()
        lr = LogisticRegression(C=1e4).fit(logit.reshape(-1, 1), y)
        return cls(float(lr.coef_[0, 0]), float(lr.intercept_[0]))


def best_threshold(p: np.ndarray, y: np.ndarray, gate: np.ndarray | None = None) -> float:
    """The probability cut that maximises F1 (ties: the higher cut)."""
    candidates = np.unique(np.round(np.concatenate([p, np.linspace(0.05, 0.95, 19)]), 4))
    best, best_f1 = 0.5, -1.0
    for t in candidates:
        decision = p >= t if gate is None else (p >= t) & gate
        f1 = f1_score(y, decision, zero_division=0)
        if f1 > best_f1 or (f1 == best_f1 and t > best):
            best, best_f1 = float(t), f1
    return best


class FrameModel:
    """Relevance gate + frame heads; scikit-learn style (parameters in __init__, state ends in _)."""

    def __init__(self, encoder=None, C: float = 4.0, class_weight: str | None = "balanced",
                 use_context: bool = False, max_iter: int = 3000, model_version: str = "unfitted",
                 lexical_weight: float = 1.0, lexical_features: int = 40000) -> None:
        self.encoder = encoder
        self.C = C
        self.lexical_weight = lexical_weight
        self.lexical_features = lexical_features
        self.class_weight = class_weight
        self.use_context = use_context
        self.max_iter = max_iter
        self.model_version = model_version
        self.codebook_version = CODEBOOK_VERSION

    # -- fitting ----------------------------------------------------------------------------

    def embed(self, items: Sequence[PassageInput]) -> np.ndarray:
        return self.encoder.encode([model_input(i, self.use_context) for i in items])

    def fit(self, X: np.ndarray, Y: np.ndarray, X_dev: np.ndarray, Y_dev: np.ndarray,
            texts: Sequence[str] | None = None, texts_dev: Sequence[str] | None = None) -> "FrameModel":
        """Fit on embeddings X (and, with lexical features, the texts) with labels Y (columns:
        relevant, then the 7 frames); calibrate and tune thresholds on the dev split."""
        Y, Y_dev = np.asarray(Y), np.asarray(Y_dev)
        self.vectorizer_ = None
        if self.lexical_weight > 0:
            if texts is None or texts_dev is None:
                raise ValueError("lexical features need the texts of the train and dev passages")
            self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                               max_features=self.lexical_features).fit(texts)
        design = self._design(X, texts)
        relevant = Y[:, 0] == 1
        heads = [self._head().fit(design, Y[:, 0])]
        for k in range(1, len(HEADS)):
            y = Y[relevant, k]
            if len(np.unique(y)) < 2:
                raise ValueError(f"no positive and negative examples for {HEADS[k]} among relevant passages")
            heads.append(self._head().fit(design[relevant], y))
        self.heads_ = heads
        self._unpack_heads()
        logits = self.logits(X_dev, texts_dev)
        dev_relevant = Y_dev[:, 0] == 1
        self.calibration_ = [Platt.fit(logits[:, 0], Y_dev[:, 0])]
        for k in range(1, len(HEADS)):
            self.calibration_.append(Platt.fit(logits[dev_relevant, k], Y_dev[dev_relevant, k]))
        p = self._calibrated(logits)
        self.thresholds_ = np.zeros(len(HEADS))
        self.thresholds_[0] = best_threshold(p[:, 0], Y_dev[:, 0])
        gate = p[:, 0] >= self.thresholds_[0]
        for k in range(1, len(HEADS)):
            self.thresholds_[k] = best_threshold(p[:, k], Y_dev[:, k], gate)
        return self

    def _unpack_heads(self) -> None:
        """Split the heads' weights into the embedding part and the lexical part."""
        coef = np.vstack([h.coef_[0] for h in self.heads_]).astype(np.float32)
        dim = coef.shape[1] - (len(self.vectorizer_.vocabulary_) if self.vectorizer_ is not None else 0)
        self.coef_ = coef[:, :dim]  # (8, embedding dim): projects token embeddings for evidence
        self.lexical_coef_ = coef[:, dim:] * self.lexical_weight if self.vectorizer_ is not None else None
        self.intercept_ = np.array([h.intercept_[0] for h in self.heads_], dtype=np.float32)

    def lexical(self, texts: Sequence[str]):
        return self.vectorizer_.transform(texts)

    def _design(self, X: np.ndarray, texts: Sequence[str] | None):
        if self.vectorizer_ is None:
            return X
        return sparse.hstack([sparse.csr_matrix(X), self.lexical(texts) * self.lexical_weight]).tocsr()

    def _head(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)

    # -- scoring ----------------------------------------------------------------------------

    def logits(self, X: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        out = X @ self.coef_.T + self.intercept_
        if self.lexical_coef_ is not None:
            if texts is None:
                raise ValueError("this model uses lexical features: pass the texts")
            out = out + np.asarray(self.lexical(texts) @ self.lexical_coef_.T)
        return out

    def _calibrated(self, logits: np.ndarray) -> np.ndarray:
        return np.column_stack([cal(logits[:, k]) for k, cal in enumerate(self.calibration_)])

    def predict_proba(self, X: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """(n, 8): P(relevant), then P(frame | relevant) for each frame."""
        return self._calibrated(self.logits(X, texts))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """(n, 8) booleans: relevant, then frame decisions (always false when not relevant)."""
        decisions = proba >= self.thresholds_
        decisions[:, 1:] &= decisions[:, [0]]
        return decisions

    def _encode(self, texts: list[str]) -> tuple[np.ndarray, list[TokenScores | None]]:
        """Embeddings, and token scores for the texts that had to be encoded.

        With a cache, only missing texts run through the encoder (with token scores); cached
        texts get their vector back and, if a label turns out positive, are re-encoded for
        evidence alone (few: positives are a minority)."""
        encoder = self.encoder
        if hasattr(encoder, "lookup"):
            X, missing = encoder.lookup(texts)
            views: list[TokenScores | None] = [None] * len(texts)
            if missing:
                fresh, fresh_views = encoder.encoder.encode_with_token_scores(
                    [texts[i] for i in missing], self.coef_.T)
                X[missing] = fresh
                for i, view in zip(missing, fresh_views):
                    views[i] = view
                encoder.store([texts[i] for i in missing], fresh)
            return X, views
        if hasattr(encoder, "encode_with_token_scores"):
            X, token_views = encoder.encode_with_token_scores(texts, self.coef_.T)
            return X, list(token_views)
        return encoder.encode(texts), [None] * len(texts)  # an encoder without token access (a test fake)

    def _lexical_terms(self, text: str) -> dict[int, dict[str, float]]:
        """Per head, each lexical term's contribution to the logit for this text."""
        if self.vectorizer_ is None:
            return {}
        row = self.lexical([text])
        if getattr(self, "_feature_names", None) is None:
            self._feature_names = self.vectorizer_.get_feature_names_out()
        names = self._feature_names
        out: dict[int, dict[str, float]] = {}
        for head in range(len(HEADS)):
            out[head] = {names[j]: float(v * self.lexical_coef_[head, j]) for j, v in zip(row.indices, row.data)}
        return out

    def _views_for(self, texts: list[str]) -> list[TokenScores | None]:
        inner = getattr(self.encoder, "encoder", self.encoder)
        if not texts or not hasattr(inner, "encode_with_token_scores"):
            return [None] * len(texts)
        return list(inner.encode_with_token_scores(texts, self.coef_.T)[1])

    def predict(self, items: Sequence[PassageInput]) -> list[Prediction]:
        texts = [model_input(i, self.use_context) for i in items]
        X, views = self._encode(texts)
        proba = self.predict_proba(X, texts)
        decisions = self.decide(proba)
        need = [i for i, v in enumerate(views) if v is None and decisions[i, 0]]
        for i, view in zip(need, self._views_for([texts[i] for i in need])):
            views[i] = view
        out = []
        for row, (item, text, p, d, view) in enumerate(zip(items, texts, proba, decisions, views)):
            labels = [f for k, f in enumerate(FRAMES, start=1) if d[k]]
            explicit = find_explicit(item.text) if d[0] else []
            lexical = self._lexical_terms(text) if d[0] else {}
            evidence = {f: evidence_span(text, view, HEADS.index(f), item.text, lexical.get(HEADS.index(f)))
                        for f in labels}
            if d[0]:
                evidence["relevant"] = evidence_span(text, view, 0, item.text, lexical.get(0))
            if explicit:
                evidence[EXPLICIT_FLAG] = explicit[0].span
            out.append(Prediction(
                relevant=bool(d[0]), p_relevant=float(p[0]),
                frames={f: float(p[k]) for k, f in enumerate(FRAMES, start=1)},
                labels=labels, explicit_trait_vocabulary=bool(explicit), evidence=evidence,
                model_version=self.model_version, codebook_version=self.codebook_version,
                p_explicit=1.0 if explicit else 0.0, vector=X[row],
            ))
        return out


def evidence_span(model_text: str, view: TokenScores | None, head: int, passage_text: str,
                  lexical: dict[str, float] | None = None) -> str:
    """The passage sentence whose tokens (and lexical terms) push the head's logit up the most.

    The embedding part of the logit is sum(token scores) / (tokens x pooled norm); each
    lexical term's part is split evenly between the sentences that contain it."""
    sentences = split_sentences(passage_text) or [passage_text]
    if len(sentences) == 1 or (view is None and not lexical):
        return sentences[0]
    offset = model_text.rfind(passage_text)  # the passage's place in the encoder input
    spans, cursor = [], 0
    for sentence in sentences:
        start = passage_text.find(sentence, cursor)
        spans.append((offset + start, offset + start + len(sentence)))
        cursor = start + len(sentence)
    totals = np.zeros(len(sentences))
    scale = 1.0 / max(view.n_tokens * view.pooled_norm, 1e-9) if view is not None else 0.0
    for (a, b), score in (zip(view.offsets, view.scores[:, head]) if view is not None else ()):
        if b <= a:
            continue
        for index, (s, e) in enumerate(spans):
            if s <= a < e:
                totals[index] += score * scale
                break
    if lexical:
        lowered = [sentence.lower() for sentence in sentences]
        for term, weight in lexical.items():
            holders = [i for i, sentence in enumerate(lowered) if re.search(rf"\b{re.escape(term)}\b", sentence)]
            for i in holders:
                totals[i] += weight / len(holders)
    return sentences[int(np.argmax(totals))] if np.any(totals) else sentences[0]
