"""Acceptance tests of the trend estimator on simulated series with a known truth.

Every simulated quarter has 100 relevant passages (and 100 irrelevant ones); the classifier
that labels them has error rates that differ from the ones the estimator is told (measured on
a simulated evaluation set) by up to +-30% relative, independently per rate and per series.
warehouse/METHODS.md reports the same studies at larger sizes.
"""

from __future__ import annotations

import numpy as np
import pytest

from warehouse.trends.error_model import LABELS, STRATA, ErrorModel
from warehouse.trends.estimate import CellCounts, estimate, point_estimates, wilson
from warehouse.trends.simulate import SimClassifier, coverage_study, detection_study


@pytest.fixture(scope="module")
def coverage() -> dict:
    return coverage_study(n_quarters=200, spread=0.3, seed=11)


@pytest.fixture(scope="module")
def detection() -> dict:
    # A frame rising from 10% to 20% (the sample's traits start at 8%) at quarter 12 of 24,
    # and the same series without the step.
    return detection_study(n_series=200, base=0.10, step=0.10, step_at=12, seed=13)


def test_intervals_cover_the_true_share_in_at_least_90_percent_of_200_quarters(coverage):
    assert coverage["coverage"] >= 0.90, coverage


def test_intervals_are_at_most_two_and_a_half_wilson_widths(coverage):
    assert coverage["width_ratio"] <= 2.5, coverage
    assert coverage["mean_width"] > coverage["mean_wilson_width"]   # classifier error widens them


def test_a_planted_ten_point_step_is_found_within_one_quarter_in_90_percent(detection):
    assert detection["detected_within_1"] >= 0.90, detection


def test_a_flat_series_raises_a_change_in_at_most_5_percent(detection):
    assert detection["false_alarm"] <= 0.05, detection


def _cells(n: list[list[float]], k: list[list[list[float]]]) -> CellCounts:
    return CellCounts(np.array(n, float), np.array(k, float))


def _single(n_passages: int, k_relevant: int, k_frame: int, stratum: str = "debate") -> CellCounts:
    n = np.zeros((1, len(STRATA)))
    k = np.zeros((1, len(STRATA), len(LABELS)))
    s = STRATA.index(stratum)
    n[0, s], k[0, s, 0], k[0, s, LABELS.index("blob")] = n_passages, k_relevant, k_frame
    return CellCounts(n, k)


CONFUSION = {label: {"tp": 90, "fp": 10, "fn": 10, "tn": 890} for label in LABELS}


def test_rogan_gladen_undoes_known_error_rates():
    errors = ErrorModel.from_confusion(CONFUSION, transfer_sd=0.0)
    sens, fpr = 0.9, 10 / 900
    true_relevant, true_blob = 0.5, 0.3 * 0.5
    q_rel = true_relevant * sens + (1 - true_relevant) * fpr
    q_blob = true_blob * sens + (1 - true_blob) * fpr
    shares, _ = point_estimates(_single(100_000, round(q_rel * 100_000), round(q_blob * 100_000)), errors)
    assert shares[0, 0] == pytest.approx(0.5, abs=1e-4)
    assert shares[0, LABELS.index("blob")] == pytest.approx(0.3, abs=1e-4)


def test_strata_are_corrected_with_their_own_rates_and_pooled_by_size():
    card = {"metrics": {"test/real": {"confusion": {l: {"tp": 50, "fp": 50, "fn": 50, "tn": 850} for l in LABELS}},
                        "test/written": {"confusion": CONFUSION}}}
    errors = ErrorModel.from_card(card, transfer_sd=0.0)
    committee, debate = STRATA.index("committee_evidence"), STRATA.index("debate")
    sens, fpr = errors.point()
    assert sens[committee, 0] == pytest.approx(0.5) and sens[debate, 0] == pytest.approx(0.9)
    n = np.zeros((1, len(STRATA)))
    k = np.zeros((1, len(STRATA), len(LABELS)))
    n[0, committee], n[0, debate] = 1000, 3000
    k[0, committee, 0] = 1000 * (0.4 * 0.5 + 0.6 * fpr[committee, 0])
    k[0, debate, 0] = 3000 * (0.8 * 0.9 + 0.2 * fpr[debate, 0])
    shares, _ = point_estimates(CellCounts(n, k), errors)
    assert shares[0, 0] == pytest.approx((0.4 * 1000 + 0.8 * 3000) / 4000, abs=1e-9)


def test_no_measured_error_leaves_shares_uncorrected_with_jeffreys_width():
    errors = ErrorModel.from_card({"kind": "keywords"})
    assert not errors.measured
    est = estimate(_single(200, 100, 30), errors, np.random.default_rng(0), draws=4000)
    blob = LABELS.index("blob")
    assert est.share[0, blob] == pytest.approx(0.3)
    w_lo, w_hi = wilson(30, 100)
    assert est.low[0, blob] == pytest.approx(w_lo, abs=0.015) and est.high[0, blob] == pytest.approx(w_hi, abs=0.015)


def test_a_cell_with_no_decided_frame_gets_an_honest_upper_bound():
    # 0 of 100 decided relevant carry the frame, below the assumed false-positive rate: the
    # corrected share is 0, and the interval still reaches above it.
    errors = ErrorModel.from_confusion({label: {"tp": 80, "fp": 40, "fn": 20, "tn": 860} for label in LABELS})
    est = estimate(_single(200, 100, 0), errors, np.random.default_rng(1))
    blob = LABELS.index("blob")
    assert est.share[0, blob] == 0.0 and est.low[0, blob] == 0.0
    assert 0.01 < est.high[0, blob] < 0.15


def test_a_decided_rate_below_the_measured_false_positive_rate_is_not_read_as_zero():
    # 10 of 100 decided relevant carry the frame: a decided rate of 0.05 against a measured
    # false-positive rate of 0.06. The plug-in clips to 0; the rates that fit the data (fpr
    # below 0.05, within the evaluation counts' uncertainty) give a small positive share.
    errors = ErrorModel.from_confusion({label: {"tp": 80, "fp": 54, "fn": 20, "tn": 846} for label in LABELS},
                                       transfer_sd=0.0)
    blob = LABELS.index("blob")
    assert point_estimates(_single(200, 100, 10), errors)[0][0, blob] == 0.0
    est = estimate(_single(200, 100, 10), errors, np.random.default_rng(6))
    assert 0.003 < est.share[0, blob] < 0.05 and est.low[0, blob] < est.share[0, blob]


def test_empty_and_irrelevant_cells_have_no_share():
    errors = ErrorModel.from_confusion(CONFUSION)
    est = estimate(_cells([[0, 0, 0, 0], [0, 50, 0, 0]], np.zeros((2, 4, len(LABELS))).tolist()),
                   errors, np.random.default_rng(2))
    assert np.isnan(est.share[0]).all()
    assert np.isnan(est.share[1, 1:]).all() and not np.isnan(est.share[1, 0])
    assert np.isnan(est.adoption).all()


def test_labels_with_too_few_evaluation_cases_borrow_or_stay_uncorrected():
    few = {label: {"tp": 2, "fp": 0, "fn": 1, "tn": 300} for label in LABELS}
    card = {"metrics": {"test/real": {"confusion": few}, "test/written": {"confusion": CONFUSION}}}
    errors = ErrorModel.from_card(card)
    committee = STRATA.index("committee_evidence")
    sens, _ = errors.point()
    assert errors.corrected[committee].all() and sens[committee, 0] == pytest.approx(92 / 103)
    assert any("committee_evidence" in note for note in errors.notes)
    none = ErrorModel.from_card({"metrics": {"test/real": {"confusion": few}}})
    assert not none.corrected.any()


def test_estimates_of_a_cell_do_not_depend_on_the_other_cells():
    errors = ErrorModel.from_confusion(CONFUSION)
    rates = errors.draw(np.random.default_rng(5), 500)
    one = estimate(_single(200, 100, 30), errors, np.random.default_rng(9), rates=rates)
    again = estimate(_single(200, 100, 30), errors, np.random.default_rng(9), rates=rates)
    assert np.array_equal(one.low, again.low, equal_nan=True)


def test_the_simulated_classifier_is_perturbed_within_the_spread():
    rng = np.random.default_rng(3)
    base = SimClassifier()
    for _ in range(50):
        clf = base.perturbed(rng, 0.3)
        assert 0.7 <= (1 - clf.sens_frame) / (1 - base.sens_frame) <= 1.3
        assert 0.7 <= clf.fpr_rel / base.fpr_rel <= 1.3


def test_a_label_the_model_cannot_separate_in_a_stratum_is_estimated_from_the_others():
    # Real-testimony rates with blob recall 1 in 20 (Youden index 0.04), as the shipped model
    # measures on the Covid Inquiry: the committee stratum cannot inform blob, so its blob
    # share is not estimated, the pooled blob share comes from debates alone, and the
    # adoption index (which needs blob) pools debates alone; other labels pool both strata.
    blind = dict(CONFUSION, blob={"tp": 1, "fp": 5, "fn": 19, "tn": 575})
    card = {"metrics": {"test/real": {"confusion": blind}, "test/written": {"confusion": CONFUSION}}}
    errors = ErrorModel.from_card(card, transfer_sd=0.0)
    committee, debate = STRATA.index("committee_evidence"), STRATA.index("debate")
    blob, hero = LABELS.index("blob"), LABELS.index("hero")
    assert not errors.estimable[committee, blob] and errors.estimable[committee, hero]
    assert errors.estimable[debate].all()
    assert any(note.startswith("blob in committee_evidence: the model barely separates it") for note in errors.notes)

    sens, fpr = errors.point()
    n = np.zeros((3, len(STRATA)))
    k = np.zeros((3, len(STRATA), len(LABELS)))
    truth = {committee: {"relevant": 0.4, "blob": 0.9, "hero": 0.1}, debate: {"relevant": 0.8, "blob": 0.2, "hero": 0.3}}
    for cell, strata in enumerate(((committee,), (debate,), (committee, debate))):
        for s in strata:
            n[cell, s] = 100_000
            for label, share in truth[s].items():
                j = LABELS.index(label)
                prevalence = share if j == 0 else share * truth[s]["relevant"]
                k[cell, s, j] = 100_000 * (prevalence * sens[s, j] + (1 - prevalence) * fpr[s, j])
    shares, adoption = point_estimates(CellCounts(n, k), errors)
    assert np.isnan(shares[0, blob]) and np.isnan(adoption[0])
    assert shares[0, hero] == pytest.approx(0.1, abs=1e-3)
    assert shares[2, blob] == pytest.approx(shares[1, blob], abs=1e-9) == pytest.approx(0.2, abs=1e-3)
    assert shares[2, hero] == pytest.approx((0.1 * 0.4 + 0.3 * 0.8) / 1.2, abs=1e-3)
    assert adoption[2] == pytest.approx(adoption[1], abs=1e-9)
    est = estimate(CellCounts(n, k), errors, np.random.default_rng(4))
    assert np.isnan(est.low[0, blob]) and np.isnan(est.high[0, blob]) and np.isnan(est.adoption_low[0])
    assert est.low[2, blob] <= 0.2 <= est.high[2, blob] and est.high[2, blob] - est.low[2, blob] < 0.1
