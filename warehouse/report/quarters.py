"""Calendar quarters as the trend views spell them ('2026-Q3'), and which one a report covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"^(?P<year>\d{4})-Q(?P<q>[1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """One calendar quarter."""

    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """'2026-Q3' → Quarter(2026, 3); anything else is a ValueError."""
        match = _QUARTER.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a quarter like 2026-Q3")
        return cls(int(match["year"]), int(match["q"]))

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.q}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return self.shift(1).start - timedelta(days=1)

    def shift(self, quarters: int) -> "Quarter":
        index = self.year * 4 + (self.q - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)


def latest_complete(newest: date) -> Quarter:
    """The last quarter whose end is on or before the newest passage's date (CONTRACTS.md)."""
    current = Quarter.of(newest)
    return current if current.end <= newest else current.shift(-1)
