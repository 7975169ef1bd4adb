"""How the report names things and writes numbers for a policy reader."""

from __future__ import annotations

from datetime import date

from warehouse.report.estimates import INDEX, Change, Estimate

SERIES_NAMES: dict[str, str] = {
    INDEX: "the adoption index",
    "blob": "'the blob'",
    "hero": "'heroes and villains'",
    "advice": "advice (giving good advice)",
    "delivery": "delivery (getting things done)",
    "candour": "candour (speaking plainly)",
    "understanding": "understanding ('getting it')",
    "impartiality": "impartiality (comfortable with the politics)",
    "explicit_trait_vocabulary": "the explicit five-trait vocabulary",
}
SHORT_NAMES: dict[str, str] = {
    INDEX: "Adoption index",
    "blob": "'The blob'",
    "hero": "Heroes and villains",
    "advice": "Advice",
    "delivery": "Delivery",
    "candour": "Candour",
    "understanding": "Understanding",
    "impartiality": "Impartiality",
    "explicit_trait_vocabulary": "Explicit trait vocabulary",
}
SOURCE_TYPES: dict[str, str] = {
    "all": "All sources",
    "speech": "Speeches and statements",
    "debate": "Parliamentary debates",
    "committee_evidence": "Committee and inquiry evidence",
    "memoir_interview": "Memoirs and interviews",
}
PANEL_SOURCE_TYPES: dict[str, str] = {  # short enough for a small panel's title
    "speech": "Speeches",
    "debate": "Debates",
    "committee_evidence": "Committee evidence",
    "memoir_interview": "Memoirs, interviews",
}
ROLES: dict[str, str] = {
    "minister": "Ministers",
    "shadow_minister": "Shadow ministers",
    "backbench_mp": "Backbench MPs",
    "peer": "Peers",
    "official": "Officials",
    "special_adviser": "Special advisers",
    "committee_member": "Committee members",
    "external_witness": "External witnesses",
    "author": "Authors",
    "unknown": "Role unknown",
}
ROLE_SINGULAR: dict[str, str] = {
    "minister": "Minister",
    "shadow_minister": "Shadow minister",
    "backbench_mp": "Backbench MP",
    "peer": "Peer",
    "official": "Official",
    "special_adviser": "Special adviser",
    "committee_member": "Committee member",
    "external_witness": "External witness",
    "author": "Author",
    "unknown": "role not known",
}
NO_PARTY = "No party recorded"
MINUS = "\u2212"
DASH = "\u2013"


def series_name(series: str, capital: bool = False) -> str:
    name = SERIES_NAMES.get(series, series)
    if capital:
        return name[0].upper() + name[1:] if name[0] != "'" else "'" + name[1].upper() + name[2:]
    return name


def group_name(kind: str, grp: object, short: bool = False) -> str:
    """A reader's name for a source type, role or party value (short: for a small panel's title)."""
    if kind == "party":
        return ("No party" if short else NO_PARTY) if grp is None else str(grp)
    table = {"source_type": PANEL_SOURCE_TYPES if short else SOURCE_TYPES, "role": ROLES}.get(kind, {})
    return table.get(str(grp), str(grp).replace("_", " ").capitalize())


def pct(x: float) -> str:
    """A share as a percentage: '32%', '0.4%' (small values keep a decimal)."""
    value = 100 * x
    if 0 < abs(value) < 1:
        return f"{value:.1f}%"
    return f"{value:.0f}%"


def _num(value: float, signed: bool) -> str:
    rounded = round(value)
    text = f"{abs(rounded):d}"
    if rounded < 0:
        return MINUS + text
    return ("+" + text) if signed and rounded > 0 else text


def points(x: float, signed: bool = True) -> str:
    """A 0-1 difference as percentage points: '+12', '−3'."""
    return _num(100 * x, signed)


def share_with_ci(e: Estimate) -> str:
    return f"{pct(e.value)} (95% CI {pct(e.lo)[:-1]}{DASH}{pct(e.hi)})"


def share_of_relevant(e: Estimate) -> str:
    """'23% of relevant passages (95% CI 16–31%)'."""
    return f"{pct(e.value)} of relevant passages (95% CI {pct(e.lo)[:-1]}{DASH}{pct(e.hi)})"


def value_with_ci(series: str, e: Estimate) -> str:
    """Every series (the frames, the vocabulary, the adoption index) is a share from 0 to 1."""
    return share_with_ci(e)


def change_amount(c: Change) -> str:
    """'up 9 points (95% CI 3 to 15)' / 'down 20 points (95% CI 13 to 27)'."""
    word = "up" if c.diff > 0 else "down"
    lo, hi = sorted((abs(c.lo), abs(c.hi)))
    if c.supported:
        return (f"{word} {points(abs(c.diff), False)} {_unit(c.diff)} "
                f"(95% CI {points(lo, False)} to {points(hi, False)})")
    return f"{points(c.diff)} {_unit(c.diff)} (95% CI {points(c.lo)} to {points(c.hi)})"


def change_plain(c: Change) -> str:
    """'+4 points, 95% CI −2 to +10': a change without parentheses, for use inside them."""
    return f"{points(c.diff)} {_unit(c.diff)}, 95% CI {points(c.lo)} to {points(c.hi)}"


def _unit(x: float) -> str:
    """'point' for a change that rounds to one percentage point, else 'points'."""
    return "point" if abs(round(100 * x)) == 1 else "points"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
