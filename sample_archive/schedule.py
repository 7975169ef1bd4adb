"""The documented, known movement of frame shares in the synthetic sample archive.

Shares are among relevant passages, per quarter (see sample_archive/README.md):
- blob rises from 2016 to a plateau in 2020-2023, then steps down from 2024-Q3;
- hero falls slowly across the whole period;
- each trait rises gradually from 2022;
- explicit trait vocabulary first appears in 2026-Q3 (first uses, not a change point).
"""

from __future__ import annotations

from datetime import date

FIRST_QUARTER = (2016, 1)
LAST_QUARTER = (2026, 3)
TRAITS = ("advice", "delivery", "candour", "understanding", "impartiality")


def quarters() -> list[tuple[int, int]]:
    out = []
    year, q = FIRST_QUARTER
    while (year, q) <= LAST_QUARTER:
        out.append((year, q))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def quarter_label(year: int, q: int) -> str:
    return f"{year}-Q{q}"


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _index(year: int, q: int) -> int:
    return (year - FIRST_QUARTER[0]) * 4 + (q - FIRST_QUARTER[1])


def frame_shares(year: int, q: int) -> dict[str, float]:
    """P(frame | relevant) for every frame, and the explicit-vocabulary rate, in a quarter."""
    t = _index(year, q)
    plateau_start, step = _index(2020, 1), _index(2024, 3)
    if t < plateau_start:
        blob = 0.10 + 0.22 * t / plateau_start
    elif t < step:
        blob = 0.32
    else:
        blob = 0.12
    hero = 0.32 - 0.20 * t / _index(*LAST_QUARTER)
    rise_start = _index(2022, 1)
    trait = 0.08 if t < rise_start else 0.08 + 0.24 * (t - rise_start) / (_index(*LAST_QUARTER) - rise_start)
    shares = {"blob": blob, "hero": hero}
    shares.update({trait_name: trait for trait_name in TRAITS})
    shares["explicit_trait_vocabulary"] = 0.30 if (year, q) >= (2026, 3) else 0.0
    return shares


RELEVANT_SHARE = 0.5  # about half of all passages are about the civil service
