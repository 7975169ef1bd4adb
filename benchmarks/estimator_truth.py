"""How close the pooled trend estimates of a `make run` warehouse come to the sample archive's
known schedule (sample_archive/schedule.py), per frame and for the adoption index: bias, RMSE
and the coverage of the 95% intervals over the quarters. The labels are the shipped model's,
so this measures the whole chain (classifier, error correction, intervals) on text the model
never saw, where error rates transfer only approximately from its test sets.

    python -m benchmarks.estimator_truth [data/whitehall.duckdb]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import numpy as np

from sample_archive.schedule import TRAITS, frame_shares, quarters, quarter_label

INDEX = "adoption_index"


def true_value(quarter: str, series: str) -> float:
    """The schedule's share of relevant passages carrying the frame, or its adoption index."""
    shares = frame_shares(int(quarter[:4]), int(quarter[-1]))
    if series != INDEX:
        return shares[series]
    traits = sum(shares[t] for t in TRAITS)
    return traits / (traits + shares["blob"] + shares["hero"])


def estimates(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, float, float, float]]:
    """(quarter, series, estimate, ci_low, ci_high) of the pooled rows with an estimate."""
    rows = con.execute(
        "SELECT quarter, frame, share, ci_low, ci_high FROM trend_frame_quarterly "
        "WHERE source_type = 'all' AND share IS NOT NULL").fetchall()
    rows += con.execute(
        f"SELECT quarter, '{INDEX}', adoption_index, ci_low, ci_high FROM trend_adoption_quarterly "
        "WHERE dimension = 'all' AND adoption_index IS NOT NULL").fetchall()
    return rows


def accuracy(rows: list[tuple[str, str, float, float, float]]) -> dict[str, dict[str, float]]:
    """Per series: quarters compared, mean error, RMSE and the share of intervals holding the truth."""
    scheduled = {quarter_label(y, q) for y, q in quarters()}
    errors: dict[str, list[tuple[float, bool]]] = {}
    for quarter, series, value, lo, hi in rows:
        if quarter in scheduled:
            truth = true_value(quarter, series)
            errors.setdefault(series, []).append((value - truth, lo <= truth <= hi))
    out = {}
    for series, pairs in sorted(errors.items()):
        e = np.array([p[0] for p in pairs])
        out[series] = {"quarters": len(pairs), "bias": float(e.mean()), "rmse": float(np.sqrt((e ** 2).mean())),
                       "coverage": float(np.mean([p[1] for p in pairs]))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", nargs="?", type=Path, default=Path("data/whitehall.duckdb"))
    args = parser.parse_args()
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        result = accuracy(estimates(con))
    print("| series | quarters | bias | RMSE | 95% CI coverage |\n|---|---|---|---|---|")
    for series, r in result.items():
        print(f"| {series} | {r['quarters']} | {r['bias']:+.3f} | {r['rmse']:.3f} | {r['coverage']:.2f} |")


if __name__ == "__main__":
    main()
