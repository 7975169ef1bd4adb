"""Source health for alerting: nights failed in a row, and silence longer than a source's usual gap.

- A source *fails* a night when its discovery failed, every item it discovered failed
  transiently (the source was down) or the run itself failed (`run_sources.status`). Only
  nightly runs count, so a manual backfill or retry does not reset the tally.
- A source is *silent* when its newest document is older than `gap_factor` times its usual gap
  between documents (the `gap_quantile` of the gaps, in days, between its distinct document
  dates over the last two years; 1.0 takes the longest, so a parliamentary recess is usual).
  A source needs `min_gaps` gaps of history before silence can alert.

`now` is passed in (see `as_of`: the clock only in live mode).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import duckdb

HISTORY_DAYS = 730


@dataclass(frozen=True)
class Alert:
    source: str
    kind: str  # "failing" | "silent"
    message: str
    detail: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Thresholds:
    failed_nights: int = 3
    gap_factor: float = 1.5
    gap_quantile: float = 1.0
    min_gaps: int = 5


def failed_nights(con: duckdb.DuckDBPyConnection, source: str, flow: str = "nightly") -> tuple[int, str | None]:
    """How many of the latest nightly runs in a row the source failed, and the latest error."""
    rows = con.execute(
        "SELECT rs.status, rs.error FROM run_sources AS rs JOIN runs AS r USING (run_id)"
        " WHERE rs.source = ? AND r.flow = ? ORDER BY rs.run_id DESC LIMIT 1000", [source, flow]
    ).fetchall()
    count = 0
    for status, _ in rows:
        if status != "failed":
            break
        count += 1
    return count, (rows[0][1] if count else None)


def usual_gap_days(dates: list[date], quantile: float) -> float | None:
    """The `quantile` of the gaps between consecutive distinct dates (None without gaps)."""
    days = sorted(set(dates))
    gaps = sorted((b - a).days for a, b in zip(days, days[1:]))
    if not gaps:
        return None
    position = min(len(gaps) - 1, max(0, round(quantile * (len(gaps) - 1))))
    return float(gaps[position])


def silence(con: duckdb.DuckDBPyConnection, source: str, now: date,
            history_days: int = HISTORY_DAYS) -> tuple[date | None, list[date]]:
    """The source's newest document date (ignoring dates after `now`) and its recent dates."""
    rows = con.execute(
        "SELECT DISTINCT date FROM documents WHERE source = ? AND date <= ? ORDER BY date", [source, now]
    ).fetchall()
    dates = [r[0] for r in rows]
    if not dates:
        return None, []
    newest = dates[-1]
    return newest, [d for d in dates if d >= newest - timedelta(days=history_days)]


def as_of(con: duckdb.DuckDBPyConnection, replay: bool) -> date:
    """Live: today. Replay: the newest document's date, so a replayed night never reads the clock."""
    if replay:
        return con.execute("SELECT max(date) FROM documents").fetchone()[0] or date(1970, 1, 1)
    return date.today()


def check(con: duckdb.DuckDBPyConnection, sources: list[str], now: date,
          thresholds: Thresholds = Thresholds()) -> list[Alert]:
    """The alerts that hold for these sources now."""
    alerts: list[Alert] = []
    for source in sources:
        nights, error = failed_nights(con, source)
        if nights >= thresholds.failed_nights:
            alerts.append(Alert(source, "failing",
                                f"{source} has failed {nights} nights running (threshold "
                                f"{thresholds.failed_nights}); latest error: {error}",
                                {"nights": nights, "error": error}))
        newest, dates = silence(con, source, now)
        if newest is None or len(dates) - 1 < thresholds.min_gaps:
            continue
        usual = usual_gap_days(dates, thresholds.gap_quantile)
        quiet = (now - newest).days
        if usual is not None and quiet > thresholds.gap_factor * usual:
            alerts.append(Alert(source, "silent",
                                f"nothing new from {source} for {quiet} days (newest {newest.isoformat()}); "
                                f"its usual gap is {usual:g} days, alert above {thresholds.gap_factor:g}x",
                                {"days": quiet, "newest": newest.isoformat(), "usual_gap_days": usual}))
    return alerts
