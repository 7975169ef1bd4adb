"""The report's charts (Altair), each a line with its 95% band, and the alt text that says what
a reader would see. Colours are Okabe-Ito hues with at least 3:1 contrast on white; series are
told apart by panel titles and line style, never by colour alone."""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt

from classifiers.codebook import FRAMES
from warehouse.report.estimates import wilson
from warehouse.report.quarters import Quarter
from warehouse.report.wording import SHORT_NAMES, group_name, pct

SHORTCUT_COLOUR = "#D55E00"  # Okabe-Ito vermillion, 3.9:1 on white
TRAIT_COLOUR = "#0072B2"     # Okabe-Ito blue, 5.2:1
EXPLICIT_COLOUR = "#009E73"  # Okabe-Ito bluish green, 3.4:1
REFERENCE_COLOUR = "#767676"  # grey, 4.5:1
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
FULL_WIDTH = 600
PANEL_WIDTH = 124
PANEL_HEIGHT = 84
SHARE_STEPS = (0.05, 0.1, 0.2, 0.25, 0.5)  # tick steps of share axes
FACET_SPACING = {"row": 42, "column": 30}  # flush bounds: room for the x labels and the next header
MIN_GROUP_RELEVANT = 60  # a group with fewer relevant passages in the period gets no panel (it is listed)
NOT_ESTIMATED = ("There are no labelled relevant passages in that period, or the trend estimates have not been "
                 "computed since the passages were loaded (run: whitehall refresh-trends).")


@dataclass
class Chart:
    """One chart: its file stem, title, Altair spec, alt text and caption; or, with no data to
    show, no spec and `no_data`, which says why."""

    name: str
    title: str
    spec: alt.TopLevelMixin | None
    alt_text: str
    caption: str
    no_data: str | None = None


def _no_data(name: str, title: str, why: str) -> Chart:
    return Chart(name, title, None, "", "", no_data=why)


def _has_values(data: list[dict]) -> bool:
    return any(d["value"] is not None for d in data)


def frame_colour(frame: str) -> str:
    if frame in ("blob", "hero"):
        return SHORTCUT_COLOUR
    return EXPLICIT_COLOUR if frame == "explicit_trait_vocabulary" else TRAIT_COLOUR


def _date(quarter: str) -> str:
    return Quarter.parse(quarter).start.isoformat()


def _points(rows: list[dict], quarter: Quarter, **extra) -> list[dict]:
    """Plot rows: one per quarter up to the reported one, with its date, value and band."""
    out = []
    for r in rows:
        if r["quarter"] > str(quarter):
            continue
        has = r.get("share") is not None
        out.append({"quarter": r["quarter"], "date": _date(r["quarter"]),
                    "value": r["share"] if has else None,
                    "lo": r["ci_low"] if has and r.get("ci_low") is not None else None,
                    "hi": r["ci_high"] if has and r.get("ci_high") is not None else None,
                    "n": r.get("n_relevant") or 0, "low_n": bool(r.get("low_n")) and has,
                    "is_report": r["quarter"] == str(quarter), **extra})
    return out


def _year_ticks(first: str, last: Quarter, every: int) -> list[alt.DateTime]:
    y0 = Quarter.parse(first).year
    years = [y for y in range(y0, last.year + 1) if (y - y0) % every == 0]
    return [alt.DateTime(year=y, month=1, date=1) for y in years]


def _x(data: list[dict], quarter: Quarter, every: int) -> alt.X:
    first = min((d["quarter"] for d in data), default=str(quarter))
    return alt.X("date:T", title=None, axis=alt.Axis(format="%Y", values=_year_ticks(first, quarter, every),
                                                   labelAngle=0, grid=False, labelFlush=False))


def _layers(y_title: str, y_format: str, colour: str, x: alt.X, domain: tuple[float, float],
            reference: bool = False, ticks: int = 5) -> list:
    """Band, line, hollow low-n markers and a dot on the reported quarter, on one y scale."""
    pad = 0.04 * (domain[1] - domain[0])  # a dot on 0% or 100% stays inside its panel
    scale = alt.Scale(domain=[domain[0] - pad, domain[1] + pad], nice=False, zero=False)
    axis = _y_axis(y_format, domain, ticks)
    y = alt.Y("value:Q", title=y_title, scale=scale, axis=axis)
    band_y = alt.Y("lo:Q", title=y_title, scale=scale, axis=axis)
    tooltip = [alt.Tooltip("quarter:N"), alt.Tooltip("value:Q", format=".3f"),
               alt.Tooltip("lo:Q", format=".3f"), alt.Tooltip("hi:Q", format=".3f"), alt.Tooltip("n:Q")]
    own = alt.datum.kind == "group"
    layers = []
    if reference:
        layers.append(alt.Chart().transform_filter(alt.datum.kind == "reference").mark_line(
            color=REFERENCE_COLOUR, strokeWidth=1.2, strokeDash=[4, 3], clip=True).encode(x=x, y=y))
    layers += [
        alt.Chart().transform_filter(own).mark_area(color=colour, opacity=0.22, clip=True).encode(x=x, y=band_y, y2="hi:Q"),
        alt.Chart().transform_filter(own).mark_line(color=colour, strokeWidth=2).encode(x=x, y=y, tooltip=tooltip),
        alt.Chart().transform_filter(own & alt.datum.low_n).mark_point(
            shape="circle", filled=True, fill="white", stroke=colour, size=18, strokeWidth=1.2,
            opacity=1).encode(x=x, y=y),
        alt.Chart().transform_filter(own & alt.datum.is_report).mark_point(
            shape="circle", filled=True, color=colour, size=36, opacity=1).encode(x=x, y=y),
    ]
    return layers


def _tick_values(domain: tuple[float, float], ticks: int, steps: tuple[float, ...]) -> list[float]:
    """At most `ticks` round values inside the domain (so small panels do not crowd their axis)."""
    lo, hi = domain
    step = next((s for s in steps if (hi - lo) / s <= ticks - 1), steps[-1])
    first = math.ceil(round(lo / step, 6)) * step
    return [round(first + i * step, 6) for i in range(int(round((hi - first) / step, 6)) + 1)]


def _y_axis(y_format: str, domain: tuple[float, float], ticks: int) -> alt.Axis:
    """A y axis with at most `ticks` round values.

    tickCount is set to the number of values: Vega otherwise thins explicit values down to
    ceil(height / 40), which on a small panel leaves only the two ends.
    """
    values = _tick_values(domain, ticks, SHARE_STEPS)
    return alt.Axis(format=y_format, values=values, tickCount=len(values), labelOverlap=False,
                    titleFontWeight="normal")


def _configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (chart.configure(font=FONT, background="white")
            .configure_view(stroke="#d0d0d0", strokeWidth=0.6)
            .configure_axis(labelFontSize=11, titleFontSize=11, labelColor="#222", titleColor="#222",
                            domainColor="#888", tickColor="#888", gridColor="#e6e6e6")
            .configure_header(labelFontSize=11.5, labelFontWeight="bold", labelAnchor="start",
                              labelLimit=PANEL_WIDTH + 12,
                              labelColor="#111", labelPadding=4)
            .configure_title(fontSize=13, anchor="start", color="#111"))


def _domain(data: list[dict], *, floor: float = 0.0, ticks: int = 5) -> tuple[float, float]:
    """The y range from 0, up to a round tick step: every estimate, and the bands of cells that are
    not low-n (a low-n cell's wide band may run off the panel and is clipped, so it does not
    flatten the rest)."""
    values = [d["value"] for d in data if d["value"] is not None]
    values += [d["hi"] for d in data if not d["low_n"] and d["hi"] is not None]
    hi = max(values + [floor])
    for step in SHARE_STEPS:
        intervals = math.ceil(round(hi / step, 6))
        if intervals <= ticks - 1:
            break
    return 0.0, min(round(intervals * step, 6), 1.0)


def _describe_series(rows: list[dict], fmt) -> str:
    """'from 10% in 2016-Q1 to 12% (95% CI 8–16%) in 2026-Q2, peaking at 32% in 2020-Q1'."""
    seen = [r for r in rows if r["value"] is not None]
    if not seen:
        return "no estimate in any quarter"
    first, last = seen[0], seen[-1]
    high = max(seen, key=lambda r: r["value"])
    low = min(seen, key=lambda r: r["value"])
    text = f"from {fmt(first['value'])} in {first['quarter']} to {fmt(last['value'])}"
    if last["lo"] is not None:
        text += f" (95% CI {fmt(last['lo'], bare=True)} to {fmt(last['hi'])})"
    text += f" in {last['quarter']}"
    if high is not last and high is not first:
        text += f", highest {fmt(high['value'])} in {high['quarter']}"
    if low is not last and low is not first:
        text += f", lowest {fmt(low['value'])} in {low['quarter']}"
    return text


def _fmt_pct(v: float, bare: bool = False) -> str:
    return pct(v)


INDEX_DEFINITION = ("the share of all frame labels in relevant passages that are trait frames rather than "
                    "'the blob' or 'heroes and villains'")


def _balance_rule() -> alt.Chart:
    """The 50% line: as much trait language as shortcut language."""
    return alt.Chart().mark_rule(color="#444", strokeWidth=0.8, strokeDash=[2, 2]).encode(y=alt.datum(0.5))


def adoption_index_chart(index_rows: list[dict], quarter: Quarter) -> Chart:
    """The pooled adoption index (0 to 100%) with its band and the 50% balance line."""
    data = [dict(r, kind="group") for r in _points([r for r in index_rows if r["grp"] == "all"], quarter)]
    if not _has_values(data):
        return _no_data("adoption_index", "Adoption index",
                        f"No quarter up to {quarter} has an estimate of the adoption index. " + NOT_ESTIMATED)
    x = _x(data, quarter, 1)
    last = next((d["value"] for d in data if d["is_report"]), None)
    dy = 16 if last is not None and last > 0.85 else -12  # near the top, label below the dot
    text = dict(align="right", dx=-6, dy=dy, fontSize=11, fontWeight="bold")
    label = [alt.Chart().transform_filter(alt.datum.is_report).mark_text(**text, **style)
             .encode(x=x, y=alt.Y("value:Q"), text=alt.Text("quarter:N"))
             for style in ({"color": "white", "stroke": "white", "strokeWidth": 4, "strokeJoin": "round"},
                           {"color": TRAIT_COLOUR})]  # a white halo, then the label: legible over the band
    chart = alt.layer(_balance_rule(), *_layers("Adoption index", "%", TRAIT_COLOUR, x, (0.0, 1.0), ticks=5),
                      *label, data=alt.Data(values=data)).properties(width=FULL_WIDTH, height=220)
    alt_text = (f"Line chart of the adoption index ({INDEX_DEFINITION}) by quarter, with a shaded 95% interval "
                f"and a dotted line at 50%. It runs {_describe_series(data, _fmt_pct)}. Above 50%, trait "
                "language outweighs the two shortcuts.")
    return Chart("adoption_index", "Adoption index", _configure(chart), alt_text,
                 f"Adoption index by quarter: {INDEX_DEFINITION}. Dotted: 50%, as much trait language as "
                 "shortcut language. Shaded: 95% interval. Hollow circles: fewer than 30 relevant passages.")


def frames_chart(rows: list[dict], quarter: Quarter) -> Chart:
    """Each frame's pooled share over time, one small panel per frame."""
    data = []
    for frame in FRAMES:
        series = [r for r in rows if r["grp"] == "all" and r["frame"] == frame]
        data += _points(series, quarter, panel=SHORT_NAMES[frame], frame=frame, kind="group",
                        colour=frame_colour(frame))
    if not _has_values(data):
        return _no_data("frames", "Each frame over time",
                        f"No quarter up to {quarter} has an estimate of any frame's share. " + NOT_ESTIMATED)
    unestimated = [SHORT_NAMES[f] for f in FRAMES if not _has_values([d for d in data if d["frame"] == f])]
    note = (" No estimate in any quarter, so an empty panel: " + ", ".join(unestimated) + ".") if unestimated else ""
    domain = _domain(data, floor=0.2)
    x = _x(data, quarter, 4)
    base_layers = []
    for colour in (SHORTCUT_COLOUR, TRAIT_COLOUR):
        for layer in _layers("Share", "%", colour, x, domain):
            base_layers.append(layer.transform_filter(alt.datum.colour == colour))
    chart = (alt.layer(*base_layers, data=alt.Data(values=data))
             .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
             .facet(facet=alt.Facet("panel:N", title=None, sort=[SHORT_NAMES[f] for f in FRAMES]), columns=4,
                    bounds="flush", spacing=FACET_SPACING)
             .resolve_axis(x="independent"))
    parts = [f"{SHORT_NAMES[f]} runs {_describe_series([d for d in data if d['frame'] == f], _fmt_pct)}"
             for f in FRAMES]
    alt_text = ("Seven small line charts, one per frame, each showing its share of relevant passages by "
                "quarter with a shaded 95% interval (shortcut frames in vermillion, trait frames in blue). "
                + "; ".join(parts) + "." + note)
    return Chart("frames", "Each frame over time", _configure(chart), alt_text,
                 "Share of relevant passages carrying each frame, by quarter (a passage may carry several). "
                 "Shaded: 95% interval. Hollow circles: fewer than 30 relevant passages." + note)


def group_index_chart(name: str, title: str, kind: str, index_rows: list[dict],
                      pooled_index: list[dict], quarter: Quarter) -> Chart:
    """The adoption index per group (source type, role or party), one panel each, over the pooled line.

    A group with fewer than MIN_GROUP_RELEVANT relevant passages in the whole period (or with no
    estimate in any quarter) gets no panel but is named, with its count, in the caption; a panel
    whose quarters are mostly low-n is marked *.
    """
    mine = [r for r in index_rows if r["grp"] != "all" and r["quarter"] <= str(quarter)]
    totals: dict[object, int] = {}
    sparse: dict[object, int] = {}
    estimated: set[object] = set()
    for r in mine:
        totals[r["grp"]] = totals.get(r["grp"], 0) + (r["n_relevant"] or 0)
        sparse[r["grp"]] = sparse.get(r["grp"], 0) + (1 if r["low_n"] else -1)
        if r["share"] is not None:
            estimated.add(r["grp"])
    shown = sorted((g for g, n in totals.items() if n >= MIN_GROUP_RELEVANT and g in estimated),
                   key=lambda g: (-totals[g], str(g)))
    unestimated = sorted((g for g, n in totals.items() if n >= MIN_GROUP_RELEVANT and g not in estimated),
                         key=lambda g: -totals[g])
    left_out = sorted((g for g, n in totals.items() if 0 < n and g not in shown and g not in unestimated),
                      key=lambda g: -totals[g])
    panels = {g: group_name(kind, g, short=True) + (" *" if sparse[g] > 0 else "") for g in shown}
    reference = _points([r for r in pooled_index if r["grp"] == "all"], quarter)
    data = []
    for g in shown:
        data += _points([r for r in mine if r["grp"] == g], quarter, panel=panels[g], kind="group")
        data += [dict(r, panel=panels[g], kind="reference") for r in reference]
    note = ""
    if any(sparse[g] > 0 for g in shown):
        note += " * Most quarters have fewer than 30 relevant passages: read the line as noise around its band."
    if left_out:
        note += (" Not charted, too few relevant passages over the period: "
                 + ", ".join(f"{group_name(kind, g)} ({totals[g]})" for g in left_out) + ".")
    if unestimated:
        note += (" Not charted, no estimate (the model barely separates some frames there; see the caveats): "
                 + ", ".join(group_name(kind, g) for g in unestimated) + ".")
    if not data and not estimated:
        return _no_data(name, title, f"No quarter up to {quarter} has an estimate of the adoption index by "
                        f"{kind.replace('_', ' ')}. " + NOT_ESTIMATED)
    if not data:
        return _no_data(name, title, f"No {kind.replace('_', ' ')} has {MIN_GROUP_RELEVANT} or more relevant "
                        f"passages with an estimate up to {quarter}, too few to chart." + note)
    x = _x(data, quarter, 4)
    columns = min(4, len(shown))
    width = PANEL_WIDTH if columns == 4 else int(FULL_WIDTH / columns) - 40
    chart = (alt.layer(_balance_rule(), *_layers("Index", "%", TRAIT_COLOUR, x, (0.0, 1.0), reference=True, ticks=3),
                       data=alt.Data(values=data))
             .properties(width=width, height=PANEL_HEIGHT)
             .facet(facet=alt.Facet("panel:N", title=None, sort=[panels[g] for g in shown]), columns=columns,
                    bounds="flush", spacing=FACET_SPACING)
             .resolve_axis(x="independent"))
    label = kind.replace("_", " ")
    parts = [f"{group_name(kind, g)} {_describe_series([d for d in data if d['panel'] == panels[g] and d['kind'] == 'group'], _fmt_pct)}"
             for g in shown]
    alt_text = (f"{len(shown)} small line charts of the adoption index ({INDEX_DEFINITION}) by {label}, each "
                "with a shaded 95% interval, a dotted line at 50% and the all-sources index as a dashed grey "
                "line for comparison. "
                + "; ".join(parts) + "." + note)
    caption = (f"Adoption index by {label}, each panel against the index for all sources (dashed grey). "
               "Dotted: 50%. Shaded: 95% interval. Hollow circles: fewer than 30 relevant passages." + note)
    return Chart(name, title, _configure(chart), alt_text, caption)


def explicit_chart(rows: list[dict], quarter: Quarter) -> Chart:
    """The explicit five-trait vocabulary's share of relevant passages, pooled."""
    series = [r for r in rows if r["grp"] == "all" and r["frame"] == "explicit_trait_vocabulary"]
    data = [dict(r, kind="group") for r in _points(series, quarter)]
    if not _has_values(data):
        return _no_data("explicit", "Explicit five-trait vocabulary",
                        f"No quarter up to {quarter} has an estimate of the explicit vocabulary's share. "
                        + NOT_ESTIMATED)
    domain = _domain(data, floor=0.1)
    x = _x(data, quarter, 1)
    chart = (alt.layer(*_layers("Share of relevant passages", "%", EXPLICIT_COLOUR, x, domain),
                       data=alt.Data(values=data)).properties(width=FULL_WIDTH, height=150))
    alt_text = ("Line chart of the share of relevant passages using the explicit five-trait vocabulary, by "
                f"quarter, with a shaded 95% interval. It runs {_describe_series(data, _fmt_pct)}.")
    return Chart("explicit", "Explicit five-trait vocabulary", _configure(chart), alt_text,
                 "Share of relevant passages that use the explicit five-trait vocabulary (kept apart from "
                 "trait language in general). Shaded: 95% interval.")


def diffusion_chart(diffusion: list[dict], quarter: Quarter, quarters_shown: int = 16) -> Chart:
    """Share of active speakers who have adopted the explicit vocabulary: all speakers and by party
    (top block), by role (bottom block)."""
    title = "Diffusion among speakers"
    first = str(quarter.shift(-(quarters_shown - 1)))
    rows = [r for r in diffusion if first <= r["quarter"] <= str(quarter) and r["n_active"] > 0]
    speakers: dict[tuple[str, object], int] = {}
    for r in rows:
        speakers[(r["kind"], r["grp"])] = max(speakers.get((r["kind"], r["grp"]), 0), r["n_active"])

    def top(kind: str, n: int) -> list[tuple[str, object]]:
        keys = [k for k in speakers if k[0] == kind and speakers[k] >= 5 and k[1] not in (None, "unknown")]
        return sorted(keys, key=lambda k: (-speakers[k], str(k[1])))[:n]

    blocks = [("All speakers and by party", [("all", "all")] + top("party", 7)), ("By role", top("role", 4))]
    data = []
    for block, groups in blocks:
        for kind, grp in groups:
            panel = "All speakers" if kind == "all" else group_name(kind, grp, short=True)
            for r in rows:
                if r["kind"] == kind and r["grp"] == grp:
                    lo, hi = wilson(r["n_adopted"], r["n_active"])
                    data.append({"quarter": r["quarter"], "date": _date(r["quarter"]),
                                 "value": r["n_adopted"] / r["n_active"], "lo": lo, "hi": hi, "n": r["n_active"],
                                 "low_n": r["n_active"] < 10, "is_report": r["quarter"] == str(quarter),
                                 "panel": panel, "block": block, "kind": "group"})
    if not data:
        return _no_data("diffusion", title, f"No speaker with a relevant passage from {first} to {quarter}. "
                        + NOT_ESTIMATED)
    domain = _domain(data, floor=0.2, ticks=4)
    x = _x(data, quarter, 2)
    facets = []
    for block, _ in blocks:
        mine = [d for d in data if d["block"] == block]
        if not mine:
            continue
        order = list(dict.fromkeys(d["panel"] for d in mine))
        facets.append(alt.layer(*_layers("Share", "%", EXPLICIT_COLOUR, x, domain, ticks=4),
                                data=alt.Data(values=mine))
                      .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT - 10)
                      .facet(facet=alt.Facet("panel:N", title=None, sort=order), columns=4, bounds="flush", spacing=FACET_SPACING,
                             title=alt.TitleParams(block, fontSize=11.5, fontWeight="normal", color="#444"))
                      .resolve_axis(x="independent"))
    chart = alt.vconcat(*facets, spacing=14)
    panels = list(dict.fromkeys(d["panel"] for d in data))
    parts = [f"{p} {_describe_series([d for d in data if d['panel'] == p], _fmt_pct)}" for p in panels]
    alt_text = (f"Small line charts, one per group, of the share of active speakers (those with a relevant "
                f"passage in the quarter) who had used the explicit five-trait vocabulary by then, {first} to "
                f"{quarter}, with shaded 95% Wilson intervals. " + "; ".join(parts) + ".")
    return Chart("diffusion", title, _configure(chart), alt_text,
                 f"Of the speakers active in each quarter ({first} to {quarter}), the share who had used the "
                 "explicit five-trait vocabulary by the quarter's end: all speakers and by party, then by role. "
                 "Shaded: 95% Wilson interval. Hollow circles: fewer than 10 active speakers.")
