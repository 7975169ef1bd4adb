"""The classifier's measured error, per label and source type, read from its model card.

The card's `metrics` hold, for each evaluation split ("test/real", "test/written", ...), a
confusion {label: {tp, fp, fn, tn}} measured over all passages of the split (a frame counts as
true only on a relevant passage). The trend estimator corrects each stratum of passages with
the rates of the evaluation data whose register matches it (see warehouse/METHODS.md §2):

- committee evidence: the real Covid Inquiry transcripts ("test/real");
- speeches, debates, memoirs and interviews: the team-written passages ("test/written").

A label with too few positives or negatives in its matched split borrows the counts of every
test split together; with too few even then, it is left uncorrected (and says so). A label the
model barely separates in a stratum (Youden index sens - fpr below MIN_YOUDEN) is not estimable
there: its decided rate says next to nothing about its prevalence, and the correction would
only amplify noise, so the estimator leaves that stratum out of the label's shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from classifiers.codebook import EXPLICIT_FLAG, FRAMES
from extractors.vocab import SOURCE_TYPES

LABELS = ("relevant", *FRAMES, EXPLICIT_FLAG)
STRATA = SOURCE_TYPES
SPLITS_FOR = {
    "committee_evidence": ("test/real",),
    "speech": ("test/written",),
    "debate": ("test/written",),
    "memoir_interview": ("test/written",),
}
MIN_CLASS = 10           # positives (and negatives) a label needs in its evaluation data
TRANSFER_SD = 0.15       # log-scale sd of how far error rates move between evaluation data and corpus
PRIOR = 0.5              # Jeffreys prior on each rate
MIN_YOUDEN = 0.25        # below this sens - fpr, a one-point error in the decided rate is > 4 points of prevalence


@dataclass(frozen=True)
class ErrorModel:
    """Confusion counts (strata x labels) and whether each label is corrected in each stratum."""

    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray
    corrected: np.ndarray
    transfer_sd: float = TRANSFER_SD
    notes: tuple[str, ...] = field(default=())

    @property
    def measured(self) -> bool:
        """True when any label is corrected with measured error."""
        return bool(self.corrected.any())

    @classmethod
    def unmeasured(cls) -> "ErrorModel":
        """No measured error (keyword baseline, a fake): every label left uncorrected."""
        zeros = np.zeros((len(STRATA), len(LABELS)))
        return cls(zeros, zeros, zeros, zeros, np.zeros(zeros.shape, bool), 0.0,
                   ("the model has no measured error: shares are not corrected",))

    @classmethod
    def from_confusion(cls, confusion: dict[str, dict[str, int]], transfer_sd: float = TRANSFER_SD) -> "ErrorModel":
        """One confusion for every stratum (used by the simulations and tests)."""
        return cls.from_card({"metrics": {"test/real": {"confusion": confusion},
                                          "test/written": {"confusion": confusion}}}, transfer_sd)

    @classmethod
    def from_card(cls, card: dict | None, transfer_sd: float = TRANSFER_SD) -> "ErrorModel":
        """The error model of a model card; `unmeasured()` when it carries no test metrics."""
        metrics = (card or {}).get("metrics") or {}
        tests = {k: v for k, v in metrics.items() if k.startswith("test/") and v.get("confusion")}
        if not tests:
            return cls.unmeasured()
        shape = (len(STRATA), len(LABELS))
        counts = {c: np.zeros(shape) for c in ("tp", "fp", "fn", "tn")}
        corrected = np.zeros(shape, bool)
        notes: list[str] = []
        for s, stratum in enumerate(STRATA):
            splits = [k for k in SPLITS_FOR[stratum] if k in tests] or sorted(tests)
            for j, label in enumerate(LABELS):
                cell = _summed(tests, splits, label)
                if not _enough(cell):
                    cell = _summed(tests, sorted(tests), label)
                    if _enough(cell):
                        notes.append(f"{label} in {stratum}: too few cases in {'+'.join(splits)}; "
                                     "rates from every test split")
                if _enough(cell):
                    for c in counts:
                        counts[c][s, j] = cell[c]
                    corrected[s, j] = True
                else:
                    notes.append(f"{label} in {stratum}: too few cases in any test split; uncorrected")
        model = cls(counts["tp"], counts["fp"], counts["fn"], counts["tn"], corrected, transfer_sd)
        for stratum, label, j in model.blind_spots():
            notes.append(f"{label} in {stratum}: the model barely separates it there (Youden index "
                         f"{j:.2f}, below {MIN_YOUDEN}); not estimated from those passages")
        return replace(model, notes=tuple(dict.fromkeys(notes)))

    def point(self) -> tuple[np.ndarray, np.ndarray]:
        """(sensitivity, false-positive rate), strata x labels; (1, 0) where uncorrected."""
        sens = np.where(self.corrected, self.tp / np.maximum(self.tp + self.fn, 1), 1.0)
        fpr = np.where(self.corrected, self.fp / np.maximum(self.fp + self.tn, 1), 0.0)
        return sens, fpr

    def youden(self) -> np.ndarray:
        """Youden's index sens - fpr at the point rates, strata x labels (1 where uncorrected)."""
        sens, fpr = self.point()
        return sens - fpr

    @property
    def estimable(self) -> np.ndarray:
        """Strata x labels: whether the label's prevalence can be estimated from that stratum's
        decisions: uncorrected, or a Youden index of at least MIN_YOUDEN for it and for relevance
        (a frame share is a ratio to the relevance rate)."""
        ok = self.youden() >= MIN_YOUDEN
        return ok & ok[:, :1]

    def blind_spots(self) -> list[tuple[str, str, float]]:
        """(stratum, label, Youden index) for every label not estimable in a stratum."""
        youden = self.youden()
        return [(STRATA[s], LABELS[j], float(youden[s, j])) for s, j in zip(*np.nonzero(~self.estimable))]

    def draw(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """`n` draws of (sensitivity, false-positive rate), each (n, strata, labels).

        Each rate is drawn from its Beta posterior given the confusion counts (Jeffreys prior),
        then moved by a log-normal transfer factor on the error rates (1 - sens, fpr): the
        evaluation data are not the corpus, so their rates transfer only approximately.
        """
        shape = (n, *self.tp.shape)
        sens = rng.beta(self.tp + PRIOR, self.fn + PRIOR, size=shape)
        fpr = rng.beta(self.fp + PRIOR, self.tn + PRIOR, size=shape)
        if self.transfer_sd > 0:
            sens = 1 - np.minimum(1.0, (1 - sens) * np.exp(rng.normal(0, self.transfer_sd, shape)))
            fpr = np.minimum(1.0, fpr * np.exp(rng.normal(0, self.transfer_sd, shape)))
        sens = np.where(self.corrected, sens, 1.0)
        fpr = np.where(self.corrected, fpr, 0.0)
        return sens, fpr

    def fingerprint(self) -> str:
        """A stable text of everything the estimates depend on (for the refresh state)."""
        parts = [self.tp, self.fp, self.fn, self.tn, self.corrected.astype(float)]
        return f"{self.transfer_sd}|{MIN_YOUDEN}|" + "|".join(",".join(f"{v:g}" for v in a.ravel()) for a in parts)


def _summed(tests: dict, splits: list[str], label: str) -> dict[str, float]:
    out = {"tp": 0.0, "fp": 0.0, "fn": 0.0, "tn": 0.0}
    for split in splits:
        cell = tests[split]["confusion"].get(label) or {}
        for c in out:
            out[c] += float(cell.get(c, 0))
    return out


def _enough(cell: dict[str, float]) -> bool:
    return cell["tp"] + cell["fn"] >= MIN_CLASS and cell["fp"] + cell["tn"] >= MIN_CLASS
