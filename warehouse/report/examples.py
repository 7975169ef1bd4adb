"""Example passages for the rising and falling frames, with the evidence span highlighted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
from markupsafe import Markup, escape

from warehouse.report.data import load_examples
from warehouse.report.estimates import INDEX, all_series
from warehouse.report.quarters import Quarter
from warehouse.report.wording import ROLE_SINGULAR, SOURCE_TYPES, long_date, series_name

WORDS_AROUND = 45  # words kept either side of the evidence in a long passage


@dataclass
class Example:
    html: Markup
    found: bool
    evidence: str | None
    speaker: str
    role: str
    party: str | None
    date: str
    source: str
    url: str | None


@dataclass
class FrameExamples:
    series: str
    title: str
    direction: str
    quarter: str
    note: str = ""
    passages: list[Example] = field(default_factory=list)


def _span(text: str, evidence: str) -> tuple[int, int] | None:
    """Where the evidence sits in the text: exact, then ignoring case and runs of whitespace."""
    at = text.find(evidence)
    if at >= 0:
        return at, at + len(evidence)
    words = evidence.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text, re.IGNORECASE)
    return match.span() if match else None


def _trim_start(text: str, words: int) -> str:
    parts = text.split(" ")
    return text if len(parts) <= words else "\u2026 " + " ".join(parts[-words:])


def _trim_end(text: str, words: int) -> str:
    parts = text.split(" ")
    return text if len(parts) <= words else " ".join(parts[:words]) + " \u2026"


def highlight(text: str, evidence: str | None) -> tuple[Markup, bool]:
    """The passage as HTML with the evidence in <mark>, trimmed around it; and whether it was found."""
    span = _span(text, evidence) if evidence else None
    if span is None:
        return Markup(escape(_trim_end(text, 2 * WORDS_AROUND))), False
    start, end = span
    before = _trim_start(text[:start], WORDS_AROUND)
    after = _trim_end(text[end:], WORDS_AROUND)
    return Markup(f"{escape(before)}<mark>{escape(text[start:end])}</mark>{escape(after)}"), True


def example_of(row: dict) -> Example:
    html, found = highlight(row["text"], row.get("evidence"))
    return Example(
        html=html, found=found, evidence=row.get("evidence"),
        speaker=row.get("speaker") or "Speaker not recorded",
        role=ROLE_SINGULAR.get(row.get("role") or "unknown", str(row.get("role"))),
        party=row.get("party"),
        date=long_date(row["date"]),
        source=SOURCE_TYPES.get(row["source_type"], row["source_type"]),
        url=row.get("url"),
    )


def collect(con: duckdb.DuckDBPyConnection, moves: dict[str, str], quarter: Quarter) -> list[FrameExamples]:
    """Examples for every series the headline found moving (falling ones from the quarter before
    when the quarter itself has none left); with none moving, the clearest passage of each frame."""
    if not moves:
        return _steady(con, quarter)
    out = []
    for series in (s for s in all_series() if s in moves):
        direction = moves[series]
        block = FrameExamples(series, series_name(series, capital=True), direction, str(quarter))
        rows = load_examples(con, series, quarter)
        if not rows and direction == "down":
            rows = load_examples(con, series, quarter.shift(-1))
            block.quarter = str(quarter.shift(-1))
            block.note = f"No passage carried it in {quarter}; these are from {quarter.shift(-1)}."
        if not rows:
            block.note = "No labelled passage to show."
        block.passages = [example_of(r) for r in rows]
        out.append(block)
    return out


def _steady(con: duckdb.DuckDBPyConnection, quarter: Quarter) -> list[FrameExamples]:
    out = []
    for series in all_series():
        rows = load_examples(con, series, quarter, limit=1) if series != INDEX else []
        if rows:
            out.append(FrameExamples(series, series_name(series, capital=True), "steady", str(quarter),
                                     passages=[example_of(r) for r in rows]))
    return out
