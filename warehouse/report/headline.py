"""The headline: what changed this quarter against the last and a year ago, naming only the
changes whose 95% intervals exclude zero, plus change points and first uses of the vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from warehouse.report.estimates import INDEX, Change, all_series, difference, lookup
from warehouse.report.quarters import Quarter
from warehouse.report.wording import (
    SERIES_NAMES,
    change_amount,
    change_plain,
    group_name,
    long_date,
    points,
    series_name,
    share_of_relevant,
    share_with_ci,
    value_with_ci,
)

EXPLICIT = "explicit_trait_vocabulary"


@dataclass
class Headline:
    """The headline's sentences and the frames it found rising or falling."""

    quarter: str
    lead: str
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    moves: dict[str, str] = field(default_factory=dict)  # series -> 'up' | 'down'

    @property
    def supported(self) -> list[Change]:
        return [c for c in self.changes if c.supported]

    def to_markdown(self) -> str:
        lines = [f"## Quarterly report {self.quarter}: headline", "", self.lead, ""]
        lines += [f"- {f}" for f in self.findings]
        if self.notes:
            lines += [""] + [f"_{n}_" for n in self.notes]
        return "\n".join(lines) + "\n"


def _comparisons(rows: list[dict], quarter: Quarter) -> list[Change]:
    out = []
    now = str(quarter)
    for before in (quarter.shift(-1), quarter.shift(-4)):
        for series in all_series():
            change = difference(series, str(before), lookup(rows, series, str(before)),
                                now, lookup(rows, series, now))
            if change is not None:
                out.append(change)
    return out


def _lead(rows: list[dict], quarter: Quarter, changes: list[Change]) -> str:
    now = lookup(rows, INDEX, str(quarter))
    if now is None and not any(r["quarter"] == str(quarter) for r in rows):
        return (f"This warehouse holds no trend estimates for {quarter}: they have not been computed since "
                "its passages were loaded (run: whitehall refresh-trends), so this report has no figures.")
    if now is None:
        return (f"In {quarter} there were too few labelled relevant passages to estimate the adoption "
                "index.")
    stance = ("more" if now.lo > 0.5 else "less" if now.hi < 0.5 else "neither more nor less")
    text = (f"In {quarter} trait language made up {share_with_ci(now)} of the framing in relevant passages, "
            f"the rest being 'the blob' and 'heroes and villains' (the adoption index): {stance} than half"
            + (", within the uncertainty." if stance.startswith("neither") else "."))
    parts = []
    for c in (c for c in changes if c.series == INDEX):
        if c.supported:
            parts.append(f"{change_amount(c)} on {_when(c, quarter)} ({c.before_quarter})")
        else:
            parts.append(f"not measurably different from {_when(c, quarter)} ({c.before_quarter}: "
                         f"{change_plain(c)})")
    if parts:
        text += " It was " + ", and ".join(parts) + "."
    return text


def _when(c: Change, quarter: Quarter) -> str:
    return "last quarter" if Quarter.parse(c.before_quarter) == quarter.shift(-1) else "a year earlier"


def _finding(series: str, supported: list[Change], quarter: Quarter) -> str:
    """One sentence per series over its supported comparisons (last quarter, a year earlier)."""
    now = supported[0].after
    directions = {c.direction for c in supported}
    name = series_name(series, capital=True)
    froms = " and ".join(f"{value_with_ci(series, c.before)} in {c.before_quarter}" for c in supported)
    amounts = " and ".join(f"{change_amount(c)} on {_when(c, quarter)}" for c in supported)
    if len(directions) == 1:
        verb = "rose" if directions == {"up"} else "fell"
        text = f"{name} {verb} to {value_with_ci(series, now)} from {froms}: {amounts}."
    else:
        text = f"{name} stood at {value_with_ci(series, now)}, against {froms}: {amounts}."
    if any(c.low_n for c in supported):
        text += " (Fewer than 30 relevant passages in one of the quarters: read with care.)"
    return text


def _size(c: dict, score: bool = True) -> str:
    """' (27 points; detector score 12.5)' from a trend_changes row ('' when it gives neither)."""
    parts = [f"{points(c['magnitude'], False)} points"] if c.get("magnitude") is not None else []
    parts += [f"detector score {c['score']:.1f}"] if score and c.get("score") is not None else []
    return f" ({'; '.join(parts)})" if parts else ""


def _forums(rows: list[dict]) -> str:
    """'parliamentary debates (26 points) and speeches and statements (19 points)'."""
    named = [group_name("source_type", c["source_type"]).lower() + _size(c, score=False) for c in rows]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _change_points(changes: list[dict], quarter: Quarter) -> list[str]:
    """One sentence per series and direction with change points (trend_changes) starting in the
    quarter: the pooled change, then the forums (source types) where the detector also marks one."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for c in changes:
        if c["quarter"] == str(quarter):
            groups.setdefault((c["frame"], c["direction"]), []).append(c)
    order = {series: i for i, series in enumerate(all_series())}
    out = []
    for (frame, direction), rows in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0])):
        pooled = next((c for c in rows if c["source_type"] == "all"), None)
        forums = sorted((c for c in rows if c["source_type"] != "all"), key=lambda c: str(c["source_type"]))
        text = (f"The change-point detector marks {'an upward' if direction == 'up' else 'a downward'} shift in "
                f"{SERIES_NAMES.get(frame, frame)}")
        if pooled is not None:
            text += f" starting this quarter{_size(pooled)}" + (f", and by forum in {_forums(forums)}" if forums else "")
        elif len(forums) == 1:
            forum = group_name("source_type", forums[0]["source_type"]).lower()
            text += f" in {forum} starting this quarter{_size(forums[0])}"
        else:
            text += f" starting this quarter in {_forums(forums)}"
        out.append(text + ".")
    return out


def _first_uses(rows: list[dict], adoption: list[dict], quarter: Quarter) -> list[str]:
    """The speakers (speaker_adoption) who first used the explicit vocabulary in the quarter."""
    new = [a for a in adoption if quarter.start <= a["first_explicit_use"] <= quarter.end]
    if not new:
        return []
    earlier = [r for r in rows if r["frame"] == EXPLICIT and r["grp"] == "all" and r["quarter"] < str(quarter)]
    now = lookup(rows, EXPLICIT, str(quarter))
    first = min(new, key=lambda a: a["first_explicit_use"])
    what = "First uses" if all(not r["share"] for r in earlier) and not any(
        a["first_explicit_use"] < quarter.start for a in adoption) else "New adopters"
    share = f"; it appears in {share_of_relevant(now)}" if now is not None else ""
    who = first["speaker"] or first["speaker_id"]
    sentence = (f"{what} of the explicit five-trait vocabulary: {len(new)} speaker{'s' if len(new) != 1 else ''} "
                f"used it for the first time this quarter (the first, {who}, on "
                f"{long_date(first['first_explicit_use'])}){share}.")
    return [sentence]


def after_the_quarter(adoption: list[dict], quarter: Quarter, newest: date) -> list[str]:
    """What the data already show in the incomplete quarter after the reported one."""
    nxt = Quarter.of(newest)
    if nxt != quarter.shift(1):  # nothing after the quarter, or a later quarter is complete already
        return []
    notes = [f"The data run on to {long_date(newest)}, into {nxt}, which is not complete and is "
             "not reported here."]
    later = [a for a in adoption if a["first_explicit_use"] > quarter.end]
    if later:
        first = min(later, key=lambda a: a["first_explicit_use"])
        notes.append(f"Early signal: {len(later)} speaker{'s' if len(later) != 1 else ''} used the "
                     f"explicit five-trait vocabulary for the first time after {quarter} closed "
                     f"(the first on {long_date(first['first_explicit_use'])}).")
    return notes


def build_headline(rows: list[dict], quarter: Quarter, changes: list[dict], adoption: list[dict],
                   newest: date) -> Headline:
    """The headline from pooled rows (frames and index, grp 'all'), the change points
    (trend_changes) and the speakers' first explicit uses (speaker_adoption), for one quarter."""
    comparisons = _comparisons(rows, quarter)
    headline = Headline(str(quarter), _lead(rows, quarter, comparisons), changes=comparisons)
    first_uses = _first_uses(rows, adoption, quarter)
    for series in all_series():
        supported = [c for c in comparisons if c.series == series and c.supported]
        if series == INDEX or not supported:
            continue
        headline.moves[series] = supported[0].direction
        if not (series == EXPLICIT and first_uses):  # the first-uses sentence says it better
            headline.findings.append(_finding(series, supported, quarter))
    for c in changes:
        if c["quarter"] == str(quarter) and c["source_type"] == "all":
            headline.moves[c["frame"]] = c["direction"]
    if comparisons and not any(c.supported and c.series != INDEX for c in comparisons):
        headline.findings.append(f"No frame's share moved by more than its uncertainty against "
                                 f"{quarter.shift(-1)} or {quarter.shift(-4)}.")
    headline.findings += first_uses
    headline.findings += _change_points(changes, quarter)
    unsupported = [c for c in comparisons if not c.supported and c.series != INDEX]
    if unsupported:
        headline.notes.append(f"Not named: {len(unsupported)} other comparisons whose 95% interval "
                              "includes no change.")
    if quarter.end > newest:
        headline.notes.insert(0, f"{quarter} is not complete in the data: passages run only to "
                                 f"{long_date(newest)}, so its figures may still move.")
    now = lookup(rows, INDEX, str(quarter))
    if now is not None and now.low_n:
        headline.notes.append(f"Fewer than 30 relevant passages in {quarter}: every figure is uncertain.")
    headline.notes += after_the_quarter(adoption, quarter, newest)
    return headline
