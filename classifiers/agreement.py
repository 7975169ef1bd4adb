"""Inter-annotator agreement: Krippendorff's alpha per label, overall and per annotator pair."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import krippendorff
import numpy as np

from classifiers.labelled import LABELS

ALPHA_FLOOR = 0.667  # below this a label's definition and examples need sharpening


def _label_value(annotation: dict, label: str) -> int:
    if label == "relevant":
        return int(bool(annotation["relevant"]))
    if label == "explicit_trait_vocabulary":
        return int(bool(annotation.get("explicit", annotation.get(label, False))))
    return int(label in annotation.get("frames", []))


def reliability_matrix(annotations: list[dict], label: str, annotators: list[str] | None = None) -> np.ndarray:
    """(annotators, units) with NaN where an annotator did not label a unit."""
    by_unit: dict[str, dict[str, int]] = defaultdict(dict)
    for a in annotations:
        by_unit[a["pid"]][a["annotator"]] = _label_value(a, label)
    annotators = annotators or sorted({a["annotator"] for a in annotations})
    units = sorted(u for u, coders in by_unit.items() if sum(c in coders for c in annotators) >= 2)
    matrix = np.full((len(annotators), len(units)), np.nan)
    for j, unit in enumerate(units):
        for i, coder in enumerate(annotators):
            if coder in by_unit[unit]:
                matrix[i, j] = by_unit[unit][coder]
    return matrix


def alpha(matrix: np.ndarray) -> float | None:
    """Nominal Krippendorff's alpha; None when undefined (no units, or no variation at all)."""
    if matrix.shape[1] == 0:
        return None
    values = matrix[~np.isnan(matrix)]
    if len(np.unique(values)) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def alpha_table(annotations: list[dict]) -> dict[str, dict]:
    """Per label: alpha, units coded by 2+, positives, and whether it clears the 0.667 floor."""
    table = {}
    for label in LABELS:
        matrix = reliability_matrix(annotations, label)
        value = alpha(matrix)
        table[label] = {"alpha": value, "units": int(matrix.shape[1]),
                        "positives": int(np.nansum(matrix)),
                        "below_floor": value is not None and value < ALPHA_FLOOR}
    return table


def pairwise_alpha(annotations: list[dict]) -> dict[tuple[str, str], dict[str, float | None]]:
    """Alpha per label for every annotator pair that coded common units."""
    coders = sorted({a["annotator"] for a in annotations})
    out = {}
    for a, b in combinations(coders, 2):
        pair = [x for x in annotations if x["annotator"] in (a, b)]
        per_label = {label: alpha(reliability_matrix(pair, label, [a, b])) for label in LABELS}
        if any(reliability_matrix(pair, "relevant", [a, b]).shape[1] for _ in [0]):
            out[(a, b)] = per_label
    return out


def majority(annotations: list[dict]) -> dict:
    """Reconcile one unit's annotations label by label: the majority; a tie counts as positive
    only if the label is not relevance-gated out (frames need a relevant majority)."""
    n = len(annotations)
    relevant = sum(bool(a["relevant"]) for a in annotations) * 2 > n
    if not relevant:
        return {"relevant": False, "frames": [], "explicit": False}
    frames = sorted({f for a in annotations for f in a["frames"]
                     if sum(f in x["frames"] for x in annotations) * 2 > n})
    explicit = sum(bool(a["explicit"]) for a in annotations) * 2 > n
    return {"relevant": True, "frames": frames, "explicit": explicit}


# The agreement rounds of the real annotation (see classifiers/ANNOTATION_GUIDE.md):
# batches annotated by the two coders whose labels are compared in each round.
ROUNDS = (
    ("round 1: codebook only, 360 passages (random + mined)", ("overlap_01", "overlap_02"), "B1"),
    ("round 2: codebook + guide, 300 passages (random + mined)", ("overlap2_01",), None),
    ("round 3: codebook + guide, 208 blob-rich passages", ("round3_01",), None),
)


def agreement_report(annotations: list[dict]) -> list[dict]:
    """Alpha per label for each agreement round of the committed annotations."""
    out = []
    for title, batches, second in ROUNDS:
        rows = [a for a in annotations if a.get("batch") in batches]
        units = {a["pid"] for a in rows}
        if second:  # round 1: each unit's first-pass annotator against the second coder
            first = [dict(a, annotator="first pass") for a in annotations
                     if a["pid"] in units and a["annotator"].startswith("A")]
            rows = first + rows
        out.append({"round": title, "units": len(units), "coders": sorted({a["annotator"] for a in rows}),
                    "alpha": alpha_table(rows)})
    return out
