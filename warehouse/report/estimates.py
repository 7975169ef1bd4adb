"""The report's own arithmetic on the trend views: differences between quarters with intervals,
so that the headline names only changes the data support.

The views give each share (a frame's, or the adoption index from trend_adoption_quarterly) with a
95% interval that already carries sampling and classifier error (warehouse/METHODS.md). Here
every interval is read as a normal one, with standard error (ci_high - ci_low) / (2 × 1.96); a
difference between two quarters has standard error sqrt(se_a² + se_b²) (different passages, so
independent sampling; the shared classifier error mostly cancels, so this errs wide).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from classifiers.codebook import FRAMES

Z95 = 1.959963984540054
INDEX = "adoption_index"


@dataclass(frozen=True)
class Estimate:
    """One value with its 95% interval, and the relevant passages behind it."""

    value: float
    lo: float
    hi: float
    n_relevant: int
    low_n: bool

    @property
    def se(self) -> float:
        return max(self.hi - self.lo, 0.0) / (2 * Z95)

    @classmethod
    def from_row(cls, row: dict | None) -> "Estimate | None":
        """A trend-view row as an estimate; None for an empty cell (share NULL)."""
        if row is None or row.get("share") is None:
            return None
        lo = row["ci_low"] if row.get("ci_low") is not None else row["share"]
        hi = row["ci_high"] if row.get("ci_high") is not None else row["share"]
        return cls(float(row["share"]), float(lo), float(hi), int(row.get("n_relevant") or 0),
                   bool(row.get("low_n")))


@dataclass(frozen=True)
class Change:
    """The difference after − before, with its 95% interval; supported when it excludes zero."""

    series: str
    before_quarter: str
    after_quarter: str
    before: Estimate
    after: Estimate
    diff: float
    lo: float
    hi: float

    @property
    def supported(self) -> bool:
        return self.lo > 0 or self.hi < 0

    @property
    def direction(self) -> str:
        return "up" if self.diff > 0 else "down"

    @property
    def low_n(self) -> bool:
        return self.before.low_n or self.after.low_n


def difference(series: str, before_quarter: str, before: Estimate | None,
               after_quarter: str, after: Estimate | None) -> Change | None:
    """after − before with a normal-approximation 95% interval; None if either cell is empty.

    Shares near 0 or 1 have skewed intervals, so the normal interval can run past what the two
    quarters' own intervals allow (a fall of more than 100 points, say); it is cut to the
    differences those intervals permit, [after.lo − before.hi, after.hi − before.lo]."""
    if before is None or after is None:
        return None
    diff = after.value - before.value
    se = math.hypot(before.se, after.se)
    lo = max(diff - Z95 * se, after.lo - before.hi)
    hi = min(diff + Z95 * se, after.hi - before.lo)
    return Change(series, before_quarter, after_quarter, before, after, diff, min(lo, diff), max(hi, diff))


def index_from_view(rows: Iterable[dict]) -> dict[str, list[dict]]:
    """trend_adoption_quarterly rows as index rows (shaped like frame rows), per dimension: 'all'
    (pooled), 'source_type', 'role', 'party'; a dimension without rows maps to []."""
    out: dict[str, list[dict]] = {"all": [], "source_type": [], "role": [], "party": []}
    for r in rows:
        row = {"quarter": r["quarter"], "frame": INDEX, "grp": r["grp"], "n_relevant": r["n_relevant"] or 0,
               "share": r["adoption_index"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
               "low_n": bool(r["low_n"])}
        out.setdefault(r["dimension"], []).append(row)
    return out


def lookup(rows: Iterable[dict], series: str, quarter: str, grp: object = "all") -> Estimate | None:
    """The estimate of one series (a frame or the index) in one quarter and group."""
    for row in rows:
        if row["frame"] == series and row["quarter"] == quarter and row["grp"] == grp:
            return Estimate.from_row(row)
    return None


def all_series() -> tuple[str, ...]:
    """The series the headline compares: the index, the frames, then the explicit vocabulary."""
    return (INDEX, *FRAMES, "explicit_trait_vocabulary")


def wilson(k: int, n: int) -> tuple[float | None, float | None]:
    """The Wilson 95% interval of k successes in n (None, None when n is 0)."""
    if n <= 0:
        return None, None
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)
