"""The estimator-accuracy check against the sample archive's schedule, on hand-made rows."""

from __future__ import annotations

import pytest

from benchmarks.estimator_truth import INDEX, accuracy, true_value


def test_true_values_follow_the_documented_schedule():
    assert true_value("2022-Q1", "blob") == pytest.approx(0.32)
    assert true_value("2024-Q3", "blob") == pytest.approx(0.12)
    # 2016-Q1: five traits at 8% against blob 10% and hero 32%
    assert true_value("2016-Q1", INDEX) == pytest.approx(0.40 / (0.40 + 0.10 + 0.32))


def test_accuracy_reports_bias_rmse_and_coverage_per_series():
    rows = [("2022-Q1", "blob", 0.32 + 0.05, 0.30, 0.40), ("2022-Q2", "blob", 0.32 - 0.05, 0.20, 0.30),
            ("2022-Q1", "hero", true_value("2022-Q1", "hero"), 0.0, 1.0),
            ("2031-Q1", "blob", 0.9, 0.8, 1.0)]  # outside the schedule: ignored
    result = accuracy(rows)
    assert result["blob"] == {"quarters": 2, "bias": pytest.approx(0.0), "rmse": pytest.approx(0.05),
                              "coverage": 0.5}
    assert result["hero"]["rmse"] == pytest.approx(0.0) and result["hero"]["coverage"] == 1.0
