"""Prediction-powered estimates: unbiased for a biased model, with honest intervals."""

from __future__ import annotations

import numpy as np

from warehouse.trends.error_model import LABELS
from warehouse.trends.ppi import GoldCell, ppi_estimate, ppi_prevalence

BLOB = LABELS.index("blob")


def simulated_cell(rng: np.random.Generator, theta: float, n: int = 2000, p_gold: float = 0.05) -> GoldCell:
    """A cell whose model over-calls relevance and under-calls blob; gold by Poisson sampling."""
    L = len(LABELS)
    y = np.zeros((n, L))
    y[:, 0] = rng.random(n) < 0.5
    y[:, BLOB] = y[:, 0] * (rng.random(n) < theta)
    h = np.zeros((n, L))
    h[:, 0] = np.clip(0.25 + 0.6 * y[:, 0] + rng.normal(0, 0.1, n), 0, 1)
    h[:, BLOB] = h[:, 0] * np.clip(0.1 + 0.5 * y[:, BLOB] + rng.normal(0, 0.1, n), 0, 1)
    gold = rng.random(n) < p_gold
    return GoldCell(n, h.mean(0), h.var(0), y[gold], h[gold], np.full(gold.sum(), p_gold))


def test_ppi_corrects_a_biased_model_and_covers_the_truth():
    rng = np.random.default_rng(21)
    covered, biased, errors = [], [], []
    for _ in range(200):
        theta = rng.uniform(0.1, 0.5)
        cell = simulated_cell(rng, theta)
        est = ppi_estimate(cell, rng, draws=400)
        covered.append(est["low"][BLOB] <= theta <= est["high"][BLOB])
        errors.append(est["share"][BLOB] - theta)
        biased.append(cell.mean_h[BLOB] / cell.mean_h[0] - theta)
    assert np.mean(covered) >= 0.90
    assert abs(np.mean(errors)) < 0.01 < abs(np.mean(biased))


def test_a_perfect_model_needs_no_rectifier():
    rng = np.random.default_rng(22)
    cell = simulated_cell(rng, 0.3)
    exact = GoldCell(cell.n, cell.mean_h, cell.var_h, cell.h, cell.h, cell.p_inclusion)
    assert np.allclose(ppi_prevalence(exact), np.clip(cell.mean_h, 0, 1))
