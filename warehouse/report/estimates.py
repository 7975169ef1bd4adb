"""The report's own arithmetic on the contract views: the adoption index, and differences
between quarters with intervals, so that the headline names only changes the data support.

The views give each frame's share with a 95% interval that already carries sampling and
classifier error. Here every interval is read as a normal one, with standard error
(ci_high - ci_low) / (2 × 1.96):
- a difference between two quarters has standard error sqrt(se_a² + se_b²) (different passages,
  so independent sampling; the shared classifier error mostly cancels, so this errs wide);
- the adoption index, where the warehouse has no trend_adoption_quarterly view to read it from,
  is computed here by the same definition (warehouse/METHODS.md): T / (T + S), T the sum of the
  five trait shares and S the blob and hero shares. Its standard error is the delta method's,
  sqrt(gᵀ Σ g), with gradient g_trait = S / (T + S)², g_shortcut = −T / (T + S)², and
  Σ_ij = ρ_ij se_i se_j, ρ the correlation of the frames' labels over all relevant passages
  (queries/frame_correlation.sql), since frames co-occur in a passage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from classifiers.codebook import FRAMES, TRAITS

Z95 = 1.959963984540054
SHORTCUTS: tuple[str, ...] = ("blob", "hero")
INDEX = "adoption_index"
INDEX_FRAMES: tuple[str, ...] = (*TRAITS, *SHORTCUTS)


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
    """after − before with a normal-approximation 95% interval; None if either cell is empty."""
    if before is None or after is None:
        return None
    diff = after.value - before.value
    se = math.hypot(before.se, after.se)
    return Change(series, before_quarter, after_quarter, before, after, diff, diff - Z95 * se, diff + Z95 * se)


def index_of_rows(rows: dict[str, dict], correlation: dict[tuple[str, str], float]) -> Estimate | None:
    """The adoption index T / (T + S) of one quarter × group from its frame rows; None if a frame
    cell is empty or no frame is present at all."""
    parts = {f: Estimate.from_row(rows.get(f)) for f in INDEX_FRAMES}
    if any(p is None for p in parts.values()):
        return None
    traits = sum(parts[f].value for f in TRAITS)
    shortcuts = sum(parts[f].value for f in SHORTCUTS)
    if traits + shortcuts <= 0:
        return None
    value = traits / (traits + shortcuts)
    gradient = {f: (shortcuts if f in TRAITS else -traits) / (traits + shortcuts) ** 2 for f in INDEX_FRAMES}
    variance = 0.0
    for a, ga in gradient.items():
        for b, gb in gradient.items():
            rho = 1.0 if a == b else correlation.get((min(a, b), max(a, b)), 0.0)
            variance += ga * gb * rho * parts[a].se * parts[b].se
    se = math.sqrt(max(variance, 0.0))
    n = min(p.n_relevant for p in parts.values())
    return Estimate(value, max(0.0, value - Z95 * se), min(1.0, value + Z95 * se), n,
                    any(p.low_n for p in parts.values()))


def index_series(rows: Iterable[dict], correlation: dict[tuple[str, str], float]) -> list[dict]:
    """Adoption-index rows (quarter, grp, share, ci_low, ci_high, n_relevant, low_n) from frame rows."""
    cells: dict[tuple[str, object], dict[str, dict]] = {}
    for row in rows:
        if row["frame"] in INDEX_FRAMES:
            cells.setdefault((row["quarter"], row["grp"]), {})[row["frame"]] = row
    out = []
    for (quarter, grp), frames in sorted(cells.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        estimate = index_of_rows(frames, correlation)
        n_relevant = max((r.get("n_relevant") or 0) for r in frames.values())
        out.append({"quarter": quarter, "frame": INDEX, "grp": grp, "n_relevant": n_relevant,
                    "share": estimate.value if estimate else None,
                    "ci_low": estimate.lo if estimate else None,
                    "ci_high": estimate.hi if estimate else None,
                    "low_n": estimate.low_n if estimate else n_relevant < 30})
    return out


def index_from_view(rows: Iterable[dict]) -> dict[str, list[dict]]:
    """trend_adoption_quarterly rows as index rows, per dimension ('all' rows join every dimension)."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        row = {"quarter": r["quarter"], "frame": INDEX, "grp": r["grp"], "n_relevant": r["n_relevant"] or 0,
               "share": r["adoption_index"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
               "low_n": bool(r["low_n"])}
        out.setdefault(r["dimension"], []).append(row)
    pooled = out.get("all", [])
    return {dim: (rows if dim == "all" else rows + pooled) for dim, rows in out.items()}


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
