"""A cheap first stage that spares the encoder passages that are clearly not about the civil service.

- Features: hashed word unigrams and bigrams (scikit-learn's HashingVectorizer, no vocabulary
  to store), L2-normalised; a logistic regression on them gives P(worth encoding).
- Trained on the train splits (real and written) with target "gold relevant OR the gate says
  relevant", so that it learns to keep what the gate would keep.
- Tuned for recall, not precision: the threshold is the highest cut at which, on the dev
  splits, it drops at most `max_drop` of the truly relevant passages and at most `max_gate_loss`
  of the gate's true positives, for each origin.
- It scores about 10,000 passages a second on one core: ~100x the encoder.

The weights ship in `classifiers/prefilter/` (prefilter.npz + prefilter_card.json, hashed).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

N_FEATURES = 2 ** 18
NGRAMS = (1, 2)
WEIGHTS_FILE = "prefilter.npz"
CARD_FILE = "prefilter_card.json"


def shipped_prefilter_dir() -> Path:
    return Path(str(resources.files("classifiers").joinpath("prefilter")))


def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(n_features=N_FEATURES, ngram_range=NGRAMS, alternate_sign=False, norm="l2")


@dataclass
class Prefilter:
    """P(worth encoding) from hashed n-grams; `keep` says which passages go on to the encoder."""

    coef: np.ndarray  # (N_FEATURES,) float32
    intercept: float
    threshold: float
    version: str = "unversioned"

    def __post_init__(self) -> None:
        self._vectorizer = _vectorizer()

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros(0)
        logit = self._vectorizer.transform(texts) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(logit, dtype=np.float64)))

    def keep(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities, booleans: true where the passage must go on to the encoder)."""
        p = self.proba(texts)
        return p, p >= self.threshold

    # -- fitting ------------------------------------------------------------------------------

    @classmethod
    def fit(cls, texts: Sequence[str], target: np.ndarray, C: float = 16.0) -> "Prefilter":
        from sklearn.linear_model import LogisticRegression

        X = _vectorizer().transform(texts)
        lr = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(X, np.asarray(target, bool))
        return cls(lr.coef_[0].astype(np.float32), float(lr.intercept_[0]), 0.5)

    def tune(self, texts: Sequence[str], relevant: np.ndarray, gate: np.ndarray, groups: Sequence[str],
             max_drop: float = 0.015, max_gate_loss: float = 0.01) -> "Prefilter":
        """Set the highest threshold that keeps recall within the bounds in every group (dev data)."""
        p = self.proba(texts)
        relevant, gate, groups = np.asarray(relevant, bool), np.asarray(gate, bool), np.asarray(groups)
        best = 0.0
        for t in np.round(np.arange(0.01, 0.5, 0.005), 3):
            ok = True
            for g in np.unique(groups):
                rel, tp = relevant & (groups == g), relevant & gate & (groups == g)
                if rel.any() and (p[rel] < t).mean() > max_drop:
                    ok = False
                if tp.any() and (p[tp] < t).mean() > max_gate_loss:
                    ok = False
            if not ok:
                break
            best = float(t)
        self.threshold = best
        return self

    # -- files --------------------------------------------------------------------------------

    def fingerprint(self) -> str:
        h = hashlib.sha256(self.coef.tobytes())
        h.update(f"{self.intercept:.9g}|{self.threshold:.6g}|{N_FEATURES}|{NGRAMS}".encode())
        return h.hexdigest()[:8]

    def save(self, folder: Path, card: dict | None = None) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.version = f"pf-{self.fingerprint()}"
        nz = np.flatnonzero(self.coef)
        np.savez_compressed(folder / WEIGHTS_FILE, index=nz.astype(np.int32), value=self.coef[nz],
                            intercept=np.float64(self.intercept), threshold=np.float64(self.threshold))
        card = {**(card or {}), "version": self.version, "threshold": self.threshold,
                "features": {"kind": "hashed word n-grams", "n_features": N_FEATURES, "ngrams": list(NGRAMS)},
                "sha256": hashlib.sha256((folder / WEIGHTS_FILE).read_bytes()).hexdigest()}
        (folder / CARD_FILE).write_text(json.dumps(card, indent=1, sort_keys=True) + "\n", "utf-8")
        return folder

    @classmethod
    def load(cls, folder: Path | None = None) -> "Prefilter":
        folder = Path(folder) if folder else shipped_prefilter_dir()
        card = json.loads((folder / CARD_FILE).read_text("utf-8"))
        raw = (folder / WEIGHTS_FILE).read_bytes()
        if hashlib.sha256(raw).hexdigest() != card["sha256"]:
            raise ValueError(f"{folder / WEIGHTS_FILE} does not match its card's hash")
        with np.load(folder / WEIGHTS_FILE) as data:
            coef = np.zeros(N_FEATURES, dtype=np.float32)
            coef[data["index"]] = data["value"]
            return cls(coef, float(data["intercept"]), float(data["threshold"]), card["version"])


def read_card(folder: Path | None = None) -> dict:
    folder = Path(folder) if folder else shipped_prefilter_dir()
    return json.loads((folder / CARD_FILE).read_text("utf-8"))
