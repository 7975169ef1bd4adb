"""Error-corrected shares with intervals that carry both sampling and classifier error.

For every cell (a period x group) the input is, per source-type stratum s, the number of
passages N_s and the numbers decided positive k_{s,L} for each label L (relevant, the 7 frames,
explicit vocabulary). The estimator (warehouse/METHODS.md §2):

    q_{s,L}  = k_{s,L} / N_s                               decided rate
    pi_{s,L} = (q_{s,L} - fpr_{s,L}) / (sens_{s,L} - fpr_{s,L})   Rogan-Gladen prevalence
    pi_L     = sum_s N_s pi_{s,L} / N                      stratified, then clipped to [0, 1]
    share_L  = pi_L / pi_relevant                          clipped to [0, 1]
    adoption = sum_traits pi / (sum_traits pi + pi_blob + pi_hero)

The sums run over the strata where the label is estimable (ErrorModel.estimable: the model
separates it there), with pi_relevant pooled over the same strata, and for the adoption index
over the strata where every frame is. A cell with no such stratum has no estimate (NaN).

Intervals: B joint draws of the decided rates (Jeffreys Beta posteriors: a smoothed parametric
bootstrap over passages) and of the error rates (ErrorModel.draw), conditioned on a prevalence
in [0, 1] (`feasible_draws`) and pushed through the same formulas; the 2.5 and 97.5
percentiles are the 95% interval. Everything is vectorised over
cells. The refresh estimates one quarter's cells at a time with a generator seeded by the
quarter, and the error-rate draws are shared by every cell, so recomputing some quarters
leaves the others exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.trends.error_model import LABELS, ErrorModel

TRAITS = ("advice", "delivery", "candour", "understanding", "impartiality")
SHORTCUTS = ("blob", "hero")
FRAMES_AT = [LABELS.index(f) for f in (*SHORTCUTS, *TRAITS)]
N_DRAWS = 500
MIN_J = 0.02  # a drawn Youden index below this is treated as this (a label with a low one is not estimable)
MIN_FEASIBLE = 25  # feasible draws a stratum and label need for resampling among them


@dataclass
class CellCounts:
    """Decision counts of C cells: n (C, S) passages, k (C, S, L) decided positives."""

    n: np.ndarray
    k: np.ndarray

    def __len__(self) -> int:
        return len(self.n)


@dataclass
class Estimates:
    """Point estimates and 95% intervals, each (C, L) for labels or (C,) for the indices.

    Column 0 of `share` holds the relevance rate (relevant passages among all passages); the
    other columns the share of relevant passages carrying the frame (or the explicit flag).
    """

    share: np.ndarray
    low: np.ndarray
    high: np.ndarray
    adoption: np.ndarray
    adoption_low: np.ndarray
    adoption_high: np.ndarray


def rogan_gladen(q: np.ndarray, sens: np.ndarray, fpr: np.ndarray) -> np.ndarray:
    """The prevalence whose decided rate would be q, given sensitivity and false-positive rate."""
    return (q - fpr) / np.maximum(sens - fpr, MIN_J)


@dataclass(frozen=True)
class _Strata:
    """The (cell, stratum) pairs that hold passages, and how each label pools them.

    A label pools its cell's pairs by size over the strata where it is estimable
    (ErrorModel.estimable); its share there is a ratio to the relevance rate pooled over the
    same strata. The adoption index pools the strata where all seven frames are estimable.
    """

    cell: np.ndarray
    stratum: np.ndarray
    weights: np.ndarray        # (C, P, L): N_s / sum of N over the label's estimable strata
    index_weights: np.ndarray  # (C, P): the same over the strata where every frame is estimable

    @classmethod
    def of(cls, n: np.ndarray, estimable: np.ndarray) -> "_Strata":
        cell, stratum = np.nonzero(n > 0)
        size = np.zeros((len(n), len(cell)))
        size[cell, np.arange(len(cell))] = n[cell, stratum]
        every_frame = estimable[:, FRAMES_AT].all(-1)
        return cls(cell, stratum, _normalised(size[..., None] * estimable[stratum][None]),
                   _normalised(size * every_frame[stratum][None]))


def _normalised(size: np.ndarray) -> np.ndarray:
    """Weights summing to one over the pairs (axis 1); zero where a cell has none."""
    total = size.sum(1, keepdims=True)
    return np.divide(size, total, out=np.zeros_like(size), where=total > 0)


def pooled(strata: _Strata, pi_pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prevalences (..., P, L) of the pairs -> (shares (..., C, L) with the relevance rate first,
    adoption index (..., C)); NaN where a cell has no stratum to estimate the label from."""
    clip = lambda a: np.clip(a, 0.0, 1.0)  # noqa: E731
    pi = clip(np.einsum("cpl,...pl->...cl", strata.weights, pi_pairs))
    relevant = clip(np.einsum("cpl,...p->...cl", strata.weights, pi_pairs[..., 0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(relevant > 0, clip(pi / relevant), np.nan)
    shares[..., 0] = pi[..., 0]
    shares = np.where(strata.weights.sum(1) > 0, shares, np.nan)
    _, adoption = derived(clip(np.einsum("cp,...pl->...cl", strata.index_weights, pi_pairs)))
    return shares, np.where(strata.index_weights.sum(1) > 0, adoption, np.nan)


def feasible_draws(rng: np.random.Generator, q: np.ndarray, sens: np.ndarray,
                   fpr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Condition joint draws (B, P, L) on a prevalence in [0, 1], i.e. fpr <= q <= sens.

    A draw whose decided rate lies below its false-positive rate (or above its sensitivity)
    is impossible: the data and the error rates cannot both hold. Such draws are replaced by
    a random feasible draw of the same stratum and label (sampling-importance resampling of
    the joint posterior restricted to the feasible set). Where fewer than MIN_FEASIBLE draws
    are feasible, the data contradict the measured rates outright, and the impossible draws
    keep only what the data say: fpr uniform on [0, q], sens uniform on [q, 1].
    """
    ok = (fpr <= q) & (q <= sens)
    if ok.all():
        return q, sens, fpr
    B = q.shape[0]
    n_ok = ok.sum(0)
    order = np.argsort(~ok, axis=0, kind="stable")                         # feasible rows first
    pick = np.minimum((rng.random(q.shape) * np.maximum(n_ok, 1)).astype(int), B - 1)
    source = np.take_along_axis(order, pick, 0)
    use = ~ok & (n_ok >= MIN_FEASIBLE)
    q, sens, fpr = (np.where(use, np.take_along_axis(a, source, 0), a) for a in (q, sens, fpr))
    blind = ~ok & (n_ok < MIN_FEASIBLE)
    fpr = np.where(blind & (fpr > q), q * rng.random(q.shape), fpr)
    sens = np.where(blind & (sens < q), q + (1 - q) * rng.random(q.shape), sens)
    return q, sens, fpr


def derived(pi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(shares (..., L) with the relevance rate first, adoption index (...)) from prevalences."""
    with np.errstate(divide="ignore", invalid="ignore"):
        relevant = pi[..., :1]
        shares = np.where(relevant > 0, np.clip(pi / relevant, 0.0, 1.0), np.nan)
        shares[..., 0] = relevant[..., 0]
        traits = pi[..., [LABELS.index(t) for t in TRAITS]].sum(-1)
        old = pi[..., [LABELS.index(t) for t in SHORTCUTS]].sum(-1)
        adoption = np.where(traits + old > 0, traits / (traits + old), np.nan)
    return shares, adoption


def point_estimates(counts: CellCounts, errors: ErrorModel) -> tuple[np.ndarray, np.ndarray]:
    """(shares (C, L), adoption (C,)) at the decided rates and the error rates' point values."""
    sens, fpr = errors.point()
    strata = _Strata.of(counts.n, errors.estimable)
    q = counts.k[strata.cell, strata.stratum] / counts.n[strata.cell, strata.stratum][:, None]
    return pooled(strata, rogan_gladen(q, sens[strata.stratum], fpr[strata.stratum]))


def draw_decided_rates(rng: np.random.Generator, n: np.ndarray, k: np.ndarray, draws: int) -> np.ndarray:
    """(draws, P, L) decided rates of P strata with n (P,) passages and k (P, L) decisions:
    relevance ~ Beta(k_R + 1/2, N - k_R + 1/2); each other label's rate among decided-relevant
    passages ~ Beta(k_L + 1/2, k_R - k_L + 1/2)."""
    n, k = n.astype(float), k.astype(float)
    kr = k[..., 0]
    q_rel = rng.beta(kr + 0.5, np.maximum(n - kr, 0) + 0.5, size=(draws, *kr.shape))
    among = rng.beta(k[..., 1:] + 0.5, np.maximum(kr[..., None] - k[..., 1:], 0) + 0.5,
                     size=(draws, *k[..., 1:].shape))
    return np.concatenate([q_rel[..., None], q_rel[..., None] * among], axis=-1)


def estimate(counts: CellCounts, errors: ErrorModel, rng: np.random.Generator,
             rates: tuple[np.ndarray, np.ndarray] | None = None, draws: int = N_DRAWS,
             chunk: int = 32) -> Estimates:
    """Point estimates and percentile intervals for every cell.

    With measured error the point estimate is the median, over the error-rate draws that are
    feasible at the observed decided rates, of the correction at those rates: the plug-in at
    the point rates (`point_estimates`) piles up at 0 wherever a decided rate falls below its
    measured false-positive rate, while no passage decided positive still gives exactly 0
    (warehouse/METHODS.md §2.2). Without measured error it is the decided share.

    `rates` are error-rate draws (sens, fpr), each (draws, S, L), shared across calls so that
    every cell of a refresh sees the same classifier-error draws; drawn here when omitted.
    """
    if not errors.measured:  # no correction: the strata pool exactly, which is cheaper
        counts = CellCounts(counts.n.sum(1, keepdims=True) * np.eye(counts.n.shape[1])[0],
                            counts.k.sum(1, keepdims=True) * np.eye(counts.n.shape[1])[0][:, None])
    C, L = len(counts), counts.k.shape[-1]
    if errors.measured:  # the medians below, chunk by chunk
        share, adoption = np.full((C, L), np.nan), np.full(C, np.nan)
    else:
        share, adoption = point_estimates(counts, errors)
    low, high = np.full((C, L), np.nan), np.full((C, L), np.nan)
    a_low, a_high = np.full(C, np.nan), np.full(C, np.nan)
    sens, fpr = rates if rates is not None else errors.draw(rng, draws)
    draws = len(sens)
    for start in range(0, C, chunk):
        part = slice(start, min(C, start + chunk))
        strata = _Strata.of(counts.n[part], errors.estimable)
        cells = np.arange(C)[part][strata.cell]
        q = draw_decided_rates(rng, counts.n[cells, strata.stratum], counts.k[cells, strata.stratum], draws)
        q, sens_p, fpr_p = feasible_draws(rng, q, sens[:, strata.stratum], fpr[:, strata.stratum])
        s_draws, a_draws = pooled(strata, rogan_gladen(q, sens_p, fpr_p))
        low[part], high[part] = quiet_percentiles(s_draws)
        a_low[part], a_high[part] = quiet_percentiles(a_draws)
        if errors.measured:
            observed = counts.k[cells, strata.stratum] / counts.n[cells, strata.stratum][:, None]
            q, sens_p, fpr_p = feasible_draws(rng, np.broadcast_to(observed, q.shape).copy(),
                                              sens[:, strata.stratum], fpr[:, strata.stratum])
            s_draws, a_draws = pooled(strata, rogan_gladen(q, sens_p, fpr_p))
            (share[part],), (adoption[part],) = quiet_percentiles(s_draws, (0.5,)), quiet_percentiles(a_draws, (0.5,))
    empty = counts.n.sum(-1) == 0
    no_relevant = counts.k[..., 0].sum(-1) == 0
    for array in (share, low, high):
        array[empty] = np.nan
        array[no_relevant, 1:] = np.nan
    for array in (adoption, a_low, a_high):
        array[no_relevant] = np.nan
    return Estimates(share, *enclose(share, low, high), adoption, *enclose(adoption, a_low, a_high))


def enclose(point: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Widen an interval where needed so that it holds its point estimate."""
    with np.errstate(invalid="ignore"):
        return np.fmin(low, point), np.fmax(high, point)


def quiet_percentiles(draws: np.ndarray, q: tuple[float, ...] = (0.025, 0.975)) -> tuple[np.ndarray, ...]:
    """Percentiles over the first axis ignoring NaN draws (NaN where all are), by linear
    interpolation between order statistics, as numpy's default; one array per level."""
    ordered = np.sort(draws, axis=0)                 # NaN sort last
    valid = (~np.isnan(draws)).sum(0)
    out = []
    for level in q:
        position = level * np.maximum(valid - 1, 0)
        below = np.floor(position).astype(int)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        lo = np.take_along_axis(ordered, below[None], 0)[0]
        hi = np.take_along_axis(ordered, above[None], 0)[0]
        out.append(np.where(valid > 0, lo + (position - below) * (hi - lo), np.nan))
    return tuple(out)


def wilson(k: np.ndarray, n: np.ndarray, z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval for k successes in n trials (NaN where n = 0)."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half
