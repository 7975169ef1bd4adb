"""The simulation study behind warehouse/METHODS.md: series with a known truth, labelled by a
classifier whose error rates differ from the ones the estimator is told.

Run `python -m warehouse.trends.simulate` to print the measured coverage, widths, detection
and false-alarm rates. The acceptance tests (tests/unit/test_trend_estimator.py) call the
same functions with fewer draws.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

import numpy as np

from warehouse.trends.changes import detect
from warehouse.trends.error_model import LABELS, STRATA, ErrorModel
from warehouse.trends.estimate import CellCounts, estimate, wilson

FRAME = LABELS.index("blob")      # the simulated frame's column (any frame would do)
STRATUM = STRATA.index("debate")


@dataclass(frozen=True)
class SimClassifier:
    """Error rates of a simulated classifier (frames are decided only on decided-relevant)."""

    sens_rel: float = 0.95
    fpr_rel: float = 0.05
    sens_frame: float = 0.90
    fpr_frame: float = 0.03             # on relevant passages without the frame
    fpr_frame_irrelevant: float = 0.05  # on irrelevant passages wrongly decided relevant

    def perturbed(self, rng: np.random.Generator, spread: float) -> "SimClassifier":
        """Every error rate (1 - sens, fpr) times an independent factor in [1 - spread, 1 + spread]."""
        f = rng.uniform(1 - spread, 1 + spread, 5)
        return SimClassifier(1 - (1 - self.sens_rel) * f[0], self.fpr_rel * f[1],
                             1 - (1 - self.sens_frame) * f[2], self.fpr_frame * f[3],
                             self.fpr_frame_irrelevant * f[4])


SHIPPED_WRITTEN = SimClassifier(0.94, 0.20, 0.66, 0.06, 0.06)   # the shipped model's test/written rates, roughly


def decided_counts(rng: np.random.Generator, theta: np.ndarray, clf: SimClassifier,
                   n_relevant: int = 100, n_irrelevant: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """(decided relevant, decided frame) per quarter for true frame shares `theta`."""
    theta = np.asarray(theta, float)
    framed = rng.binomial(n_relevant, theta)
    rel_framed = rng.binomial(framed, clf.sens_rel)
    rel_plain = rng.binomial(n_relevant - framed, clf.sens_rel)
    rel_irr = rng.binomial(np.full(theta.shape, n_irrelevant), clf.fpr_rel)
    k_frame = (rng.binomial(rel_framed, clf.sens_frame) + rng.binomial(rel_plain, clf.fpr_frame)
               + rng.binomial(rel_irr, clf.fpr_frame_irrelevant))
    return rel_framed + rel_plain + rel_irr, k_frame


def evaluation_confusion(rng: np.random.Generator, clf: SimClassifier, n: int = 1000,
                         relevance: float = 0.5, share: float = 0.25) -> dict[str, dict[str, int]]:
    """The confusion a classifier shows on an evaluation set of `n` passages (every label)."""
    relevant = rng.binomial(n, relevance)
    framed = rng.binomial(relevant, share)
    tp_r = rng.binomial(relevant, clf.sens_rel)
    fp_r = rng.binomial(n - relevant, clf.fpr_rel)
    rel_framed = rng.binomial(framed, clf.sens_rel)
    rel_plain = tp_r - rel_framed
    tp_f = rng.binomial(rel_framed, clf.sens_frame)
    fp_f = rng.binomial(rel_plain, clf.fpr_frame) + rng.binomial(fp_r, clf.fpr_frame_irrelevant)
    rel = {"tp": tp_r, "fp": fp_r, "fn": relevant - tp_r, "tn": n - relevant - fp_r}
    frame = {"tp": tp_f, "fp": fp_f, "fn": framed - tp_f, "tn": n - framed - fp_f}
    return {label: dict(rel if label == "relevant" else frame) for label in LABELS}


def as_cells(k_rel: np.ndarray, k_frame: np.ndarray, n: int) -> CellCounts:
    """Cells with every passage in one stratum and the frame in the simulated column."""
    C = len(k_rel)
    counts_n = np.zeros((C, len(STRATA)))
    counts_k = np.zeros((C, len(STRATA), len(LABELS)))
    counts_n[:, STRATUM] = n
    counts_k[:, STRATUM, 0] = k_rel
    counts_k[:, STRATUM, FRAME] = k_frame
    return CellCounts(counts_n, counts_k)


def coverage_study(n_quarters: int = 200, quarters_per_series: int = 24, spread: float = 0.3,
                   clf: SimClassifier = SimClassifier(), draws: int = 1000, seed: int = 1,
                   share_range: tuple[float, float] = (0.05, 0.5)) -> dict:
    """Coverage and width of the 95% intervals over `n_quarters` simulated quarters."""
    rng = np.random.default_rng(seed)
    covered, widths, wilson_widths, errors = [], [], [], []
    while len(covered) < n_quarters:
        errors_model = ErrorModel.from_confusion(evaluation_confusion(rng, clf))
        truth = clf.perturbed(rng, spread)
        theta = rng.uniform(*share_range, quarters_per_series)
        k_rel, k_frame = decided_counts(rng, theta, truth)
        est = estimate(as_cells(k_rel, k_frame, 200), errors_model, rng, draws=draws)
        lo, hi, point = est.low[:, FRAME], est.high[:, FRAME], est.share[:, FRAME]
        covered.extend((lo <= theta) & (theta <= hi))
        widths.extend(hi - lo)
        w_lo, w_hi = wilson(np.round(point * 100), np.full(len(theta), 100))
        wilson_widths.extend(w_hi - w_lo)
        errors.extend(point - theta)
    covered, widths = np.array(covered[:n_quarters]), np.array(widths[:n_quarters])
    wilson_widths, errors = np.array(wilson_widths[:n_quarters]), np.array(errors[:n_quarters])
    return {"quarters": n_quarters, "coverage": float(covered.mean()),
            "mean_width": float(widths.mean()), "mean_wilson_width": float(wilson_widths.mean()),
            "width_ratio": float(widths.mean() / wilson_widths.mean()),
            "bias": float(errors.mean()), "rmse": float(np.sqrt((errors ** 2).mean()))}


def detection_study(n_series: int = 200, quarters: int = 24, step: float = 0.10, base: float = 0.15,
                    step_at: int | None = 12, spread: float = 0.3, clf: SimClassifier = SimClassifier(),
                    seed: int = 2, tolerance: int = 1) -> dict:
    """How often a planted step is reported within `tolerance` quarters (same direction), and
    how often the same series without the step raises any change."""
    rng = np.random.default_rng(seed)
    hits = alarms = 0
    for _ in range(n_series):
        truth = clf.perturbed(rng, spread)
        at = step_at if step_at is not None else int(rng.integers(6, quarters - 5))
        direction = 1 if base + step <= 0.95 else -1
        theta = np.full(quarters, base)
        theta[at:] += direction * step
        k_rel, k_frame = decided_counts(rng, theta, truth)
        changes = detect(k_frame, k_rel, rng)
        shares = k_frame / np.maximum(k_rel, 1)
        hits += any(abs(c.index - at) <= tolerance
                    and np.sign(shares[c.index:].mean() - shares[:c.index].mean()) == direction
                    for c in changes)
        k_rel, k_frame = decided_counts(rng, np.full(quarters, base), truth)
        alarms += bool(detect(k_frame, k_rel, rng))
    return {"series": n_series, "step": step, "base": base,
            "detected_within_1": hits / n_series, "false_alarm": alarms / n_series}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quarters", type=int, default=5000)
    parser.add_argument("--series", type=int, default=1000)
    args = parser.parse_args()
    out = {"coverage": coverage_study(args.quarters),
           "coverage_shipped_model_rates": coverage_study(args.quarters, clf=SHIPPED_WRITTEN),
           "detection": {}}
    for name, clf in (("nominal", SimClassifier()), ("shipped_model_rates", SHIPPED_WRITTEN)):
        for base in (0.10, 0.15, 0.25, 0.35):
            out["detection"][f"{name}/base={base}"] = detection_study(args.series, base=base, clf=clf)
        out["detection"][f"{name}/base=0.15/step_at=6..18"] = detection_study(
            args.series, base=0.15, clf=clf, step_at=None)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
