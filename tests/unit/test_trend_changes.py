"""Change points: where they are placed, what a flat or sparse series gives, the dispersion guard."""

from __future__ import annotations

import numpy as np

from warehouse.trends.changes import detect, dispersion, locate, segment_means, split_scores


def test_a_clear_step_is_placed_on_its_quarter():
    rng = np.random.default_rng(0)
    n = np.full(40, 120.0)
    k = np.r_[rng.binomial(120, 0.32, 26), rng.binomial(120, 0.12, 14)].astype(float)
    changes = detect(k, n, rng)
    assert [c.index for c in changes if c.score > 50] == [26]
    assert all(0 <= c.p_value <= 0.04 for c in changes)


def test_a_first_use_in_the_latest_quarter_is_a_change_there():
    changes = detect(np.r_[np.zeros(20), 30.0], np.full(21, 100.0), np.random.default_rng(1))
    assert [c.index for c in changes] == [20]


def test_constant_and_degenerate_series_raise_nothing():
    rng = np.random.default_rng(2)
    assert detect(np.zeros(12), np.full(12, 50.0), rng) == []
    assert detect(np.full(12, 50.0), np.full(12, 50.0), rng) == []
    assert detect(np.array([3.0, 4.0]), np.array([10.0, 10.0]), rng) == []


def test_extra_binomial_noise_is_absorbed_by_the_dispersion_guard():
    rng = np.random.default_rng(3)
    n = np.full(30, 400.0)
    shares = np.clip(0.3 + rng.normal(0, 0.06, 30), 0, 1)        # quarter-to-quarter noise, no step
    k = rng.binomial(400, shares).astype(float)
    assert dispersion(k, n, []) > 3
    assert len(detect(k, n, rng)) <= 1


def test_split_scores_respect_the_minimum_segment_and_the_open_end():
    scores = split_scores(np.array([1.0, 2, 3, 4, 5]), np.full(5, 10.0), min_size=2)
    assert list(scores[:1]) == [-1.0] and (scores[1:] >= 0).all()   # the last quarter may stand alone
    closed = split_scores(np.array([1.0, 2, 3, 4, 5]), np.full(5, 10.0), min_size=2, open_end=False)
    assert list(closed < 0) == [True, False, False, True]


def test_locate_prefers_the_most_probable_split_unless_the_posterior_is_diffuse():
    sharp = np.array([0.0, 1, 2, 40, 2, 1, 0])
    assert locate(sharp, np.full(8, 100.0)) == 3
    diffuse = np.array([0.0, 0, 9.5, 0, 9.0, 9.0, 9.0, 0])
    assert locate(diffuse, np.full(9, 100.0)) == 5      # 4, 5 and 6 together outweigh 2 alone


def test_segment_means_are_weighted_and_skip_missing():
    values = np.array([0.1, 0.3, np.nan, 0.5])
    means = segment_means(values, np.array([1.0, 3.0, 5.0, 2.0]), [2])
    assert np.allclose(means, [0.25, 0.5])
