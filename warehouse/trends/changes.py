"""Change points in a quarterly series: binary segmentation of the decided share, with a
threshold calibrated per series for a stated false-alarm rate (warehouse/METHODS.md §3).

The series is, per quarter t, k_t passages decided to carry the frame among n_t decided
relevant. With the classifier's error rates constant over time, k_t | n_t is binomial with a
share that moves only when the true share moves, so a change in the decided share is a
change in the true share. For a split of a segment into [a, j) and [j, b):

    score(j) = (p_left - p_right)^2 / (p (1 - p) (1/n_left + 1/n_right)) / phi

with p the pooled share of the segment and phi = max(1, Pearson dispersion of the quarters
around a preliminary segmentation), a guard against extra-binomial noise. A segment is split
when its largest score exceeds lambda, the (1 - alpha) quantile of the largest score of the
same series simulated with no change (binomial, the series' own n_t and pooled share); the
change is placed by `locate`, and both halves are searched again. Segments hold at least
`min_size` quarters, except the last one, which may be the latest quarter alone (so that a
new level in the latest quarter can be reported).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ALPHA = 0.04
MIN_SIZE = 2
N_NULL = 1000
WINDOW_GAIN = 0.05


@dataclass(frozen=True)
class Change:
    index: int        # first position after the change
    score: float      # the split statistic defined above
    p_value: float    # share of no-change simulations whose largest score is at least as high


def split_scores(k: np.ndarray, n: np.ndarray, min_size: int = MIN_SIZE, open_end: bool = True) -> np.ndarray:
    """Binomial two-sample chi-square for every split of the last axis (-1 where a side is
    too short; with `open_end` the right side may be a single quarter)."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    ck, cn = np.cumsum(k, -1), np.cumsum(n, -1)
    kl, nl = ck[..., :-1], cn[..., :-1]
    kr, nr = ck[..., -1:] - kl, cn[..., -1:] - nl
    p = ck[..., -1:] / np.maximum(cn[..., -1:], 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (kl / nl - kr / nr) ** 2 / (p * (1 - p) * (1 / nl + 1 / nr))
    s = np.nan_to_num(s, nan=0.0, posinf=0.0)
    T = k.shape[-1]
    j = np.arange(1, T)
    right = T - j >= (1 if open_end else min_size)
    return np.where((j >= min_size) & right, s, -1.0)


def null_maxima(n: np.ndarray, p: float, rng: np.random.Generator, n_null: int = N_NULL,
                min_size: int = MIN_SIZE) -> np.ndarray:
    """Largest split score of `n_null` no-change series with these n_t and share p."""
    k = rng.binomial(n.astype(np.int64), p, size=(n_null, len(n)))
    return split_scores(k, np.broadcast_to(n, k.shape), min_size, open_end=True).max(-1)


def locate(scores: np.ndarray, n: np.ndarray) -> int:
    """Where to place a change, given the split scores of its segment.

    With flat priors on the two segment means, the posterior of a single change at split j is
    proportional to exp(score_j / 2) * sqrt(N / (n_left n_right)). The most probable split is
    chosen, unless another split holds at least WINDOW_GAIN more posterior probability within
    one quarter of it (a diffuse posterior): then that one, as it is more often right to the
    quarter a quarterly report names.
    """
    cn = np.cumsum(n)[:-1]
    ok = scores >= 0
    log_post = np.where(ok, scores / 2 - 0.5 * np.log(np.maximum(cn * (n.sum() - cn), 1) / max(n.sum(), 1)),
                        -np.inf)
    post = np.exp(log_post - log_post.max())
    post /= post.sum()
    window = post.copy()
    window[1:] += post[:-1]
    window[:-1] += post[1:]
    window = np.where(ok, window, -1.0)
    best, widest = int(np.argmax(post)), int(np.argmax(window))
    return widest if window[widest] > window[best] + WINDOW_GAIN else best


def _segment(k: np.ndarray, n: np.ndarray, lam: float, phi: float, min_size: int) -> list[tuple[int, float]]:
    found: list[tuple[int, float]] = []
    stack = [(0, len(k))]
    while stack:
        a, b = stack.pop()
        open_end = b == len(k)
        if b - a < min_size + (1 if open_end else min_size):
            continue
        scores = split_scores(k[a:b], n[a:b], min_size, open_end) / phi
        if scores.max() > lam:
            j = locate(scores, n[a:b])
            found.append((a + j + 1, float(scores[j])))
            stack += [(a, a + j + 1), (a + j + 1, b)]
    return sorted(found)


def dispersion(k: np.ndarray, n: np.ndarray, cuts: list[int]) -> float:
    """Pearson chi-square per degree of freedom around the segment means, at least 1."""
    bounds = [0, *cuts, len(k)]
    chi2 = 0.0
    for a, b in zip(bounds[:-1], bounds[1:]):
        p = k[a:b].sum() / max(n[a:b].sum(), 1)
        var = n[a:b] * p * (1 - p)
        ok = var > 0
        chi2 += float((((k[a:b] - n[a:b] * p) ** 2)[ok] / var[ok]).sum())
    dof = len(k) - len(bounds) + 1
    return max(1.0, chi2 / dof) if dof > 0 else 1.0


def detect(k: np.ndarray, n: np.ndarray, rng: np.random.Generator, alpha: float = ALPHA,
           min_size: int = MIN_SIZE, n_null: int = N_NULL) -> list[Change]:
    """Change points of one series (quarters with n_t = 0 must be dropped by the caller)."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    if len(k) < min_size + 1 or n.sum() == 0:
        return []
    p = k.sum() / n.sum()
    if p <= 0 or p >= 1:
        return []
    maxima = null_maxima(n, p, rng, n_null, min_size)
    lam = float(np.quantile(maxima, 1 - alpha))
    preliminary = _segment(k, n, lam, 1.0, min_size)
    phi = dispersion(k, n, [c for c, _ in preliminary])
    final = _segment(k, n, lam, phi, min_size) if phi > 1.0 else preliminary
    return [Change(i, s, float((maxima >= s).mean())) for i, s in final]


def segment_means(values: np.ndarray, weights: np.ndarray, cuts: list[int]) -> list[float]:
    """Weighted mean of `values` over each segment between cuts (NaN values ignored)."""
    bounds = [0, *cuts, len(values)]
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        v, w = values[a:b], weights[a:b]
        ok = ~np.isnan(v) & (w > 0)
        out.append(float((v[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else float("nan"))
    return out
