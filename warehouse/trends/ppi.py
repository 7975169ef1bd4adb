"""Prediction-powered estimates for cells with a random gold sample (warehouse/METHODS.md §2.3).

For a cell of N passages with model predictions h_i (the probabilistic counts: P(relevant),
P(relevant) P(frame | relevant), the explicit flag) and a gold sample G drawn with inclusion
probabilities pi_i, each label's prevalence is

    mu_L = (1/N) sum_i h_{iL}  +  (1/N) sum_{i in G} (y_{iL} - h_{iL}) / pi_i

(the model's count plus a Horvitz-Thompson estimate of its error), and the shares and the
adoption index follow from mu exactly as from the Rogan-Gladen prevalences. The interval
draws the model term from its normal sampling distribution and resamples the gold passages
with replacement, jointly across labels; no error rates are assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.trends.estimate import N_DRAWS, derived, enclose, quiet_percentiles

MIN_GOLD = 30  # gold passages a cell needs before PPI replaces the error-rate correction


@dataclass
class GoldCell:
    """One cell's model sums over all its passages and its gold sample."""

    n: int                 # passages in the cell
    mean_h: np.ndarray     # (L,) mean prediction over the cell
    var_h: np.ndarray      # (L,) variance of the prediction over the cell
    y: np.ndarray          # (G, L) gold (mean over annotators)
    h: np.ndarray          # (G, L) predictions on the gold passages
    p_inclusion: np.ndarray  # (G,)


def ppi_prevalence(cell: GoldCell) -> np.ndarray:
    """Point estimate of each label's prevalence, clipped to [0, 1]."""
    rectifier = ((cell.y - cell.h) / cell.p_inclusion[:, None]).sum(0) / cell.n
    return np.clip(cell.mean_h + rectifier, 0.0, 1.0)


def ppi_draws(cell: GoldCell, rng: np.random.Generator, draws: int = N_DRAWS) -> np.ndarray:
    """(draws, L) prevalences: normal model term, with-replacement bootstrap of the HT rectifier."""
    G, L = cell.y.shape
    model = cell.mean_h + np.sqrt(np.maximum(cell.var_h, 0) / cell.n) * rng.standard_normal((draws, L))
    z = (cell.y - cell.h) / cell.p_inclusion[:, None]
    picks = rng.integers(0, G, size=(draws, G))
    rectifier = z[picks].sum(1) / cell.n
    return np.clip(model + rectifier, 0.0, 1.0)


def ppi_estimate(cell: GoldCell, rng: np.random.Generator, draws: int = N_DRAWS) -> dict[str, np.ndarray]:
    """Shares (relevance rate first), adoption index and their 95% intervals."""
    share, adoption = derived(ppi_prevalence(cell))
    s_draws, a_draws = derived(ppi_draws(cell, rng, draws))
    low, high = enclose(share, *quiet_percentiles(s_draws))
    a_low, a_high = enclose(adoption, *quiet_percentiles(a_draws))
    return {"share": share, "low": low, "high": high,
            "adoption": np.asarray(adoption), "adoption_low": np.asarray(a_low),
            "adoption_high": np.asarray(a_high)}
