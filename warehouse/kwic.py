"""Keyword in context: a match with a fixed width of text either side, for reading hits in a column."""

from __future__ import annotations

import re

_GAP = re.compile(r"^[\W_]*$")


def keyword_span(text: str, matches: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The longest run of matched terms that only spaces or punctuation part (the phrase), else the first."""
    if not matches:
        return None
    runs: list[tuple[int, int, int]] = []  # (terms, start, end)
    for s, e in sorted(matches):
        if runs and s >= runs[-1][2] and _GAP.match(text[runs[-1][2]:s]):
            terms, start, _ = runs[-1]
            runs[-1] = (terms + 1, start, e)
        else:
            runs.append((1, s, e))
    terms, start, end = max(runs, key=lambda r: (r[0], -r[1]))
    return start, end


def kwic(text: str, matches: list[tuple[int, int]], width: int = 50) -> tuple[str, str, str]:
    """(left context, keyword, right context); contexts are cut at word boundaries and marked '…'."""
    span = keyword_span(text, matches)
    if span is None:
        right = text[: 2 * width]
        return "", "", right + ("…" if len(text) > 2 * width else "")
    start, end = span
    left = text[max(0, start - width):start]
    if start > width:
        left = "…" + left.split(" ", 1)[-1] if " " in left else "…" + left
    right = text[end:end + width]
    if end + width < len(text):
        right = (right.rsplit(" ", 1)[0] if " " in right else right) + "…"
    return left, text[start:end], right
