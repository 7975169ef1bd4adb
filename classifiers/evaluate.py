"""Measuring a classifier on a labelled split: per-label P/R/F1 with bootstrap CIs, macro-F1, ECE."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifiers.codebook import FRAMES

N_BOOTSTRAP = 1000


def f1_from_counts(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denominator = 2 * tp + fp + fn
    return np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)


def _counts(y: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, d = y.astype(bool), d.astype(bool)
    return (y & d).sum(0), (~y & d).sum(0), (y & ~d).sum(0)


def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """ECE with equal-width bins: the weighted mean |accuracy - confidence| gap."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    if len(p) == 0:
        return float("nan")
    edges = np.linspace(0, 1, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        members = index == b
        if members.any():
            total += members.mean() * abs(y[members].mean() - p[members].mean())
    return float(total)


@dataclass
class LabelScore:
    label: str
    support: int
    precision: float
    recall: float
    f1: float
    f1_ci: tuple[float, float]

    def as_dict(self) -> dict:
        return {"label": self.label, "support": self.support, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "f1_ci": [round(self.f1_ci[0], 4), round(self.f1_ci[1], 4)]}


def score(Y: np.ndarray, D: np.ndarray, labels: tuple[str, ...], P: np.ndarray | None = None,
          seed: int = 0, n_boot: int = N_BOOTSTRAP) -> dict:
    """Scores of decisions D against gold Y (n, labels): per label, frame macro-F1 with a CI,
    and ECE per label where probabilities P are given."""
    Y, D = np.asarray(Y).astype(bool), np.asarray(D).astype(bool)
    tp, fp, fn = _counts(Y, D)
    f1 = f1_from_counts(tp, fp, fn)
    precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 0.0)
    recall = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), 0.0)
    rng = np.random.default_rng(seed)
    boot = np.zeros((n_boot, len(labels)))
    n = len(Y)
    for b in range(n_boot):
        sample = rng.integers(0, n, n)
        boot[b] = f1_from_counts(*_counts(Y[sample], D[sample]))
    lo, hi = np.percentile(boot, [2.5, 97.5], axis=0)
    frame_index = [labels.index(f) for f in FRAMES if f in labels]
    macro = float(f1[frame_index].mean()) if frame_index else float("nan")
    macro_boot = boot[:, frame_index].mean(1) if frame_index else np.array([np.nan])
    result = {
        "n": int(n),
        "labels": {label: LabelScore(label, int(Y[:, k].sum()), float(precision[k]), float(recall[k]),
                                     float(f1[k]), (float(lo[k]), float(hi[k]))).as_dict()
                   for k, label in enumerate(labels)},
        "macro_f1_frames": round(macro, 4),
        "macro_f1_ci": [round(float(np.percentile(macro_boot, 2.5)), 4),
                        round(float(np.percentile(macro_boot, 97.5)), 4)],
    }
    tn = (~Y & ~D).sum(0)
    result["confusion"] = {label: {"tp": int(tp[k]), "fp": int(fp[k]), "fn": int(fn[k]), "tn": int(tn[k])}
                           for k, label in enumerate(labels)}
    if P is not None:
        result["ece"] = {label: round(expected_calibration_error(P[:, k], Y[:, k]), 4)
                         for k, label in enumerate(labels)}
    return result
