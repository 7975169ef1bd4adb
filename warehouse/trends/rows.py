"""The rows of trend_estimates: one per cell and label (the frames, relevance, the explicit
flag and the adoption index), with the decided and probabilistic shares beside the estimate and
the method that produced it (warehouse/METHODS.md §1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.trends.cells import Cells
from warehouse.trends.error_model import LABELS, ErrorModel
from warehouse.trends.estimate import FRAMES_AT, SHORTCUTS, TRAITS
from warehouse.trends.ppi import MIN_GOLD

LOW_N = 30
TRAIT_AT = [LABELS.index(t) for t in TRAITS]
SHORTCUT_AT = [LABELS.index(t) for t in SHORTCUTS]

ROW_COLUMNS = ("period_kind", "period", "quarter", "dimension", "grp", "label", "n_passages", "n_relevant",
                "n_label", "share_raw", "share_pcc", "share", "ci_low", "ci_high", "low_n", "method",
                "n_gold", "model_version")


def _ratio(a: float, b: float) -> float | None:
    return float(a / b) if b > 0 else None


def _value(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


@dataclass(frozen=True)
class Status:
    """Per cell, what the error model allows: (C, L) corrected / estimable from some stratum
    holding passages, (C,) the adoption index estimable (every frame, in one stratum)."""

    corrected: np.ndarray
    estimable: np.ndarray
    index_estimable: np.ndarray

    @classmethod
    def of(cls, errors: ErrorModel, n: np.ndarray) -> "Status":
        """The status of cells with passages n (C, S) per stratum."""
        held = n[:, :, None] > 0
        return cls(corrected=(errors.corrected[None] & held).any(1),
                   estimable=(errors.estimable[None] & held).any(1),
                   index_estimable=(errors.estimable[:, FRAMES_AT].all(-1)[None] & held[..., 0]).any(1))


def _method(ppi: bool, estimable: bool, corrected: bool) -> str:
    """trend_estimates.method (warehouse/METHODS.md §1)."""
    if ppi:
        return "ppi"
    if not estimable:
        return "not-estimable"
    return "rogan-gladen" if corrected else "uncorrected"


def append_rows(rows: dict[str, list], part: Cells, result: dict, status: Status,
                 n_gold: np.ndarray, model: str) -> None:
    n_all, k_all = part.counts.n.sum(1), part.counts.k.sum(1)
    for c, key in enumerate(part.keys):
        n, k, soft = n_all[c], k_all[c], part.soft[c]
        ppi = n_gold[c] >= MIN_GOLD
        for j, label in enumerate((*LABELS, "adoption_index")):
            if label == "adoption_index":
                n_label, raw = None, _ratio(k[TRAIT_AT].sum(), k[TRAIT_AT].sum() + k[SHORTCUT_AT].sum())
                pcc = _ratio(soft[TRAIT_AT].sum(), soft[TRAIT_AT].sum() + soft[SHORTCUT_AT].sum())
                point, lo, hi = result["adoption"][c], result["adoption_low"][c], result["adoption_high"][c]
                method = _method(ppi, status.index_estimable[c], status.corrected[c, TRAIT_AT + SHORTCUT_AT].any())
            else:
                n_label = int(k[j])
                raw = _ratio(k[0], n) if j == 0 else _ratio(k[j], k[0])
                pcc = _ratio(soft[0], n) if j == 0 else _ratio(soft[j], soft[0])
                point, lo, hi = result["share"][c, j], result["low"][c, j], result["high"][c, j]
                method = _method(ppi, status.estimable[c, j], status.corrected[c, j] or (j > 0 and status.corrected[c, 0]))
            values = (*key, label, int(n), int(k[0]), n_label, raw, pcc, _value(point), _value(lo), _value(hi),
                      bool((n if j == 0 else k[0]) < LOW_N), method, int(n_gold[c]), model)
            for column, value in zip(ROW_COLUMNS, values):
                rows[column].append(value)
