"""The report's logic on hand-made view rows: quarters, differences with intervals, the adoption
index as read from its view, which changes the headline names, evidence highlighting, the quality
table, chart axes, and what the report says when the trend views hold nothing to show."""

from __future__ import annotations

from datetime import date

import pytest

from classifiers.codebook import FRAMES
from warehouse.report import charts
from warehouse.report.charts import _domain, _tick_values, _y_axis
from warehouse.report.estimates import INDEX, Estimate, difference, index_from_view, wilson
from warehouse.report.examples import highlight
from warehouse.report.headline import build_headline
from warehouse.report.methods import blind_spot_caveats, estimator_note, quality_table, real_macro_f1
from warehouse.report.quarters import Quarter, latest_complete

Z = 1.959963984540054


def test_quarters_parse_shift_and_the_latest_complete_one_in_the_data():
    q = Quarter.parse("2026-Q3")
    assert (q.year, q.q, str(q)) == (2026, 3, "2026-Q3")
    assert q.start == date(2026, 7, 1) and q.end == date(2026, 9, 30)
    assert str(q.shift(-1)) == "2026-Q2" and str(q.shift(-4)) == "2025-Q3" and str(q.shift(2)) == "2027-Q1"
    assert Quarter.parse("2024-Q1").shift(-1) == Quarter(2023, 4)
    # CONTRACTS: the last quarter whose end is on or before the newest passage's date
    assert latest_complete(date(2026, 9, 22)) == Quarter(2026, 2)
    assert latest_complete(date(2026, 9, 30)) == Quarter(2026, 3)
    assert latest_complete(date(2027, 1, 1)) == Quarter(2026, 4)
    for bad in ("2026Q3", "2026-Q5", "26-Q1", ""):
        with pytest.raises(ValueError):
            Quarter.parse(bad)


def _row(quarter: str, frame: str, share: float | None, half: float = 0.04, n: int = 100, grp: object = "all") -> dict:
    lo = None if share is None else max(0.0, share - half)
    hi = None if share is None else min(1.0, share + half)
    return {"quarter": quarter, "frame": frame, "grp": grp, "n_passages": 2 * n, "n_relevant": n,
            "share": share, "ci_low": lo, "ci_high": hi, "low_n": n < 30}


def test_a_difference_is_supported_only_when_its_interval_excludes_zero():
    a = Estimate(0.32, 0.28, 0.36, 100, False)   # se = 0.04 / 1.96
    b = Estimate(0.12, 0.08, 0.16, 100, False)
    fell = difference("blob", "2024-Q2", a, "2024-Q3", b)
    assert fell.diff == pytest.approx(-0.20)
    assert fell.hi - fell.diff == pytest.approx(Z * (2 ** 0.5) * 0.04 / Z)
    assert fell.supported and fell.direction == "down"
    small = difference("hero", "2024-Q2", a, "2024-Q3", Estimate(0.30, 0.26, 0.34, 100, False))
    assert not small.supported  # two points, interval about ±5.7 points
    assert difference("hero", "2024-Q2", None, "2024-Q3", b) is None


def test_the_index_is_read_from_its_trends_view_by_dimension():
    view = [{"quarter": "2026-Q1", "dimension": d, "grp": g, "n_relevant": 40, "adoption_index": share,
             "ci_low": None if share is None else 0.5, "ci_high": None if share is None else 0.7, "low_n": False}
            for d, g, share in (("all", "all", 0.6), ("role", "minister", 0.6), ("party", None, None))]
    by_dimension = index_from_view(view)
    assert [r["grp"] for r in by_dimension["role"]] == ["minister"]
    assert by_dimension["source_type"] == []  # a dimension with no rows is there, empty
    assert by_dimension["party"][0]["share"] is None and by_dimension["party"][0]["grp"] is None
    assert by_dimension["all"][0] == {"quarter": "2026-Q1", "frame": INDEX, "grp": "all", "n_relevant": 40,
                                      "share": 0.6, "ci_low": 0.5, "ci_high": 0.7, "low_n": False}


def _index_row(quarter: str, frames: dict[str, float]) -> dict:
    """The pooled adoption index of one quarter, as trend_adoption_quarterly would give it."""
    traits = sum(v for f, v in frames.items() if f not in ("blob", "hero", "explicit_trait_vocabulary"))
    value = traits / (traits + frames["blob"] + frames["hero"])
    return dict(_row(quarter, INDEX, value, half=0.02, n=150))


def _history(step_frame: str | None = None) -> list[dict]:
    """Eight quarters of flat shares, with an optional 20-point fall in the last quarter."""
    rows = []
    quarters = [str(Quarter(2024, 4).shift(i)) for i in range(8)]
    for q in quarters:
        shares = {}
        for f in (*FRAMES, "explicit_trait_vocabulary"):
            share = 0.0 if f == "explicit_trait_vocabulary" else 0.2
            if f == step_frame and q == quarters[-1]:
                share = 0.02
            shares[f] = share
            rows.append(_row(q, f, share, half=0.03, n=150))
        rows.append(_index_row(q, shares))
    return rows


def test_the_headline_names_a_supported_fall_and_nothing_else():
    rows = _history("blob")
    headline = build_headline(rows, Quarter(2026, 3), [], [], newest=date(2026, 9, 30))
    assert headline.moves == {"blob": "down"}
    blob = [f for f in headline.findings if f.startswith("'The blob' fell")]
    assert len(blob) == 1
    assert "from 20% (95% CI 17–23%) in 2026-Q2 and 20% (95% CI 17–23%) in 2025-Q3" in blob[0]
    assert "down 18 points (95% CI 14 to 22) on last quarter" in blob[0]
    assert not any("hero" in f.lower() or "advice" in f.lower() for f in headline.findings)
    assert "change-point detector" not in " ".join(headline.findings)  # trend_changes has none
    assert "adoption index" in headline.lead and "2026-Q3" in headline.lead
    assert "up 11 points" in headline.lead  # the index goes from 1.0 / 1.4 to 1.0 / 1.22 when blob falls
    assert headline.to_markdown().startswith("## Quarterly report 2026-Q3: headline")


def test_a_flat_quarter_names_no_change_and_reports_detector_output_and_first_uses():
    rows = _history()
    for r in rows:
        if r["frame"] == "explicit_trait_vocabulary" and r["quarter"] == "2026-Q3":
            r.update(share=0.25, ci_low=0.2, ci_high=0.3)
    changes = [{"frame": "blob", "source_type": "all", "quarter": "2026-Q3", "direction": "down",
                "magnitude": 0.2, "score": 7.25},
               {"frame": "hero", "source_type": "debate", "quarter": "2025-Q1", "direction": "up",
                "magnitude": 0.1, "score": 3.0}]
    adoption = [{"speaker_id": "p1", "speaker": "Ada Example", "role": "minister", "party": "Labour",
                 "first_explicit_use": date(2026, 7, 14), "trait_share_before": 0.2, "trait_share_after": 0.5}]
    headline = build_headline(rows, Quarter(2026, 3), changes, adoption, newest=date(2026, 11, 2))
    text = " ".join(headline.findings)
    assert "marks a downward shift in 'the blob' starting this quarter (20 points; detector score 7.2)" in text
    assert "hero" not in text  # a change point in another quarter is not this quarter's news
    forums = [dict(changes[0], source_type=t, magnitude=m) for t, m in (("speech", 0.3), ("debate", 0.1))]
    grouped = build_headline(rows, Quarter(2026, 3), changes + forums, adoption, newest=date(2026, 11, 2))
    said = [f for f in grouped.findings if f.startswith("The change-point detector")]
    assert said == [("The change-point detector marks a downward shift in 'the blob' starting this quarter (20 points; "
                     "detector score 7.2), and by forum in parliamentary debates (10 points) and speeches and "
                     "statements (30 points).")]
    assert ("First uses of the explicit five-trait vocabulary: 1 speaker used it for the first time this quarter "
            "(the first, Ada Example, on 14 July 2026); it appears in 25% of relevant passages (95% CI 20–30%)") in text
    assert headline.moves["blob"] == "down" and headline.moves["explicit_trait_vocabulary"] == "up"
    assert any("2026-Q4, which is not complete" in n for n in headline.notes)


def test_an_incomplete_requested_quarter_is_said_to_be_so():
    headline = build_headline(_history(), Quarter(2026, 3), [], [], newest=date(2026, 9, 22))
    assert headline.notes[0] == ("2026-Q3 is not complete in the data: passages run only to 22 September 2026, "
                                 "so its figures may still move.")


def test_evidence_is_highlighted_escaped_and_trimmed():
    html, found = highlight("Officials were <b>brave</b>. The blob won again.", "The blob won again.")
    assert found and str(html) == "Officials were &lt;b&gt;brave&lt;/b&gt;. <mark>The blob won again.</mark>"
    html, found = highlight("They said the  BLOB\nwon again today.", "the blob won again")
    assert found and "<mark>the  BLOB\nwon again</mark>" in str(html)
    html, found = highlight("Nothing to see.", "absent span")
    assert not found and "<mark>" not in str(html)
    long = " ".join(f"w{i}" for i in range(300)) + " The key sentence. " + " ".join(f"v{i}" for i in range(300))
    html, found = highlight(long, "The key sentence.")
    assert found and str(html).startswith("\u2026 ") and str(html).endswith(" \u2026")
    assert len(str(html).split()) < 110


def test_quality_table_reads_test_real_and_test_written_f1_from_the_card():
    card = {"metrics": {
        "test/real": {"labels": {"blob": {"f1": 0.712, "f1_ci": [0.61, 0.8], "support": 88},
                                 "relevant": {"f1": 0.9, "f1_ci": [0.88, 0.92], "support": 900},
                                 "explicit_trait_vocabulary": {"f1": 0.0, "f1_ci": [0, 0], "support": 0}},
                      "macro_f1_frames": 0.21, "macro_f1_ci": [0.17, 0.25],
                      "keywords": {"labels": {"blob": {"f1": 0.2, "f1_ci": [0.1, 0.3], "support": 88}},
                                   "macro_f1_frames": 0.17, "macro_f1_ci": [0.12, 0.2]}},
        "test/written": {"labels": {"blob": {"f1": 0.8, "f1_ci": [0.7, 0.9], "support": 40}},
                         "macro_f1_frames": 0.65},
        "dev/real": {"labels": {"hero": {"f1": 0.5}}}}}
    columns, rows = quality_table(card)
    assert columns == ["Real passages (test)", "Team-written passages (test)", "Keyword baseline, real (test)"]
    assert rows == [
        {"label": "Relevance (the gate)", "cells": ["0.90 (0.88–0.92), n=900", "\u2013", "\u2013"]},
        {"label": "'The blob'", "cells": ["0.71 (0.61–0.80), n=88", "0.80 (0.70–0.90), n=40", "0.20 (0.10–0.30), n=88"]},
        {"label": "Explicit trait vocabulary", "cells": ["no positives in the test set", "\u2013", "\u2013"]},
        {"label": "Frames, macro-average", "cells": ["0.21 (0.17–0.25)", "0.65", "0.17 (0.12–0.20)"]}]
    assert real_macro_f1(card) == (0.21, [0.17, 0.25])
    assert quality_table({"kind": "keywords"}) == ([], []) and real_macro_f1({}) is None


def test_the_methods_section_says_how_the_quarters_shares_were_estimated():
    assert estimator_note({"uncorrected": 24}, "2026-Q3") == (
        "All 24 frame shares estimated for 2026-Q3 (all sources and by source type) are uncorrected "
        "(no measured error rates).")
    assert estimator_note({"ppi": 2, "rogan-gladen": 22}, "2026-Q3") == (
        "Of the 24 frame shares estimated for 2026-Q3 (all sources and by source type), 22 are corrected for "
        "the model's measured error rates and 2 are corrected with human annotations.")
    assert estimator_note({}, "2026-Q3") == "This warehouse holds no estimates for 2026-Q3."
    assert estimator_note({"rogan-gladen": 20, "not-estimable": 4}, "2026-Q3").endswith(
        "4 are not estimated, because the model barely separates the frame in those passages (see the caveats).")


def test_frames_the_model_barely_detects_in_a_source_type_are_named_in_the_caveats():
    good = {"tp": 90, "fp": 10, "fn": 10, "tn": 890}
    real = {label: good for label in ("relevant", *FRAMES, "explicit_trait_vocabulary")}
    real = dict(real, blob={"tp": 1, "fp": 5, "fn": 18, "tn": 576}, candour={"tp": 11, "fp": 49, "fn": 24, "tn": 516})
    card = {"metrics": {"test/real": {"confusion": real}, "test/written": {"confusion": dict(real, blob=good, candour=good)}}}
    [caveat] = blind_spot_caveats(card)
    assert caveat.startswith("In committee and inquiry evidence the model barely detects 'the blob' (0.04) and "
                             "candour (speaking plainly) (0.23):")
    assert "adoption index, which needs every frame, leaves committee and inquiry evidence out" in caveat
    assert blind_spot_caveats({"metrics": {"test/real": {"confusion": dict(real, blob=good, candour=good)}}}) == []
    assert blind_spot_caveats({"kind": "keywords"}) == []


def test_wilson_interval():
    lo, hi = wilson(0, 50)
    assert lo == pytest.approx(0.0, abs=1e-12) and hi == pytest.approx(0.0713, abs=1e-3)
    assert wilson(0, 0) == (None, None)


def test_small_panels_keep_every_y_label():
    """Vega thins explicit tick values to ceil(height / 40) unless tickCount says otherwise."""
    domain = _domain([{"value": 0.31, "lo": 0.2, "hi": 0.42, "low_n": False},
                      {"value": 0.12, "lo": 0.0, "hi": 0.9, "low_n": True}], ticks=4)
    assert domain == (0.0, 0.6)  # the low-n cell's band does not stretch the axis; steps of 0.2
    values = _tick_values(domain, 4, (0.05, 0.1, 0.2, 0.25, 0.5))
    assert values == [0.0, 0.2, 0.4, 0.6]
    axis = _y_axis("%", domain, 4).to_dict()
    assert axis["tickCount"] == len(axis["values"]) == 4
    assert _domain([{"value": 0.12, "lo": 0.08, "hi": 0.16, "low_n": False}], floor=0.1) == (0.0, 0.2)


def _cells(quarters: list[str], share: float | None, n: int, grps=("all",)) -> list[dict]:
    return [_row(q, f, share, n=n, grp=g) for q in quarters for f in (*FRAMES, "explicit_trait_vocabulary")
            for g in grps]


@pytest.mark.parametrize("rows", [[], _cells(["2026-Q1", "2026-Q2"], None, 0)], ids=["no rows", "all NULL"])
def test_a_chart_with_nothing_to_show_says_so_instead_of_drawing(rows):
    """Before refresh_trends has run the trend views are empty; a quarter with no relevant passages
    has NULL shares. Either way each figure becomes a 'no data' note naming the quarter."""
    q = Quarter(2026, 2)
    index = [dict(r, frame=INDEX) for r in rows if r["frame"] == "blob"]
    diffusion = [{"quarter": r["quarter"], "kind": "all", "grp": "all", "n_active": 0, "n_adopted": 0}
                 for r in index]
    made = [charts.adoption_index_chart(index, q), charts.frames_chart(rows, q),
            charts.group_index_chart("by_role", "By role", "role", index, index, q),
            charts.explicit_chart(rows, q), charts.diffusion_chart(diffusion, q)]
    for chart in made:
        assert chart.spec is None and str(q) in chart.no_data, chart.name


def test_groups_too_small_or_never_estimated_are_named_not_drawn():
    q = Quarter(2026, 2)
    rows = [dict(r, frame=INDEX) for r in _cells(["2026-Q1", "2026-Q2"], 0.6, 12, grps=("all", "peer"))
            if r["frame"] == "blob"]
    chart = charts.group_index_chart("by_role", "By role", "role", rows, rows, q)
    assert chart.spec is None and "Not charted" in chart.no_data and "Peers (24)" in chart.no_data
    blind = [dict(r, grp="official", n_relevant=40, share=None, ci_low=None, ci_high=None, low_n=False) for r in rows
             if r["grp"] == "peer"] + [dict(r, n_relevant=40) for r in rows]
    chart = charts.group_index_chart("by_role", "By role", "role", blind, rows, q)
    assert "Not charted, no estimate (the model barely separates some frames there; see the caveats): Officials." in chart.caption
    assert "Officials (" not in chart.caption
    partly = _cells(["2026-Q1"], None, 0) + _cells(["2026-Q2"], 0.3, 80)  # an empty quarter, then data
    frames = charts.frames_chart(partly, q)
    assert frames.spec is not None and frames.no_data is None and "No estimate" not in frames.caption
    for r in partly:
        if r["frame"] == "candour":
            r.update(share=None, ci_low=None, ci_high=None)
    frames = charts.frames_chart(partly, q)
    assert frames.spec is not None and "No estimate in any quarter, so an empty panel: Candour." in frames.caption


def test_a_headline_with_no_estimates_says_why():
    q = Quarter(2026, 2)
    unrefreshed = build_headline([], q, [], [], newest=date(2026, 9, 22))
    assert "no trend estimates for 2026-Q2" in unrefreshed.lead and "refresh-trends" in unrefreshed.lead
    assert not unrefreshed.findings and not unrefreshed.changes
    empty = _cells(["2026-Q1", "2026-Q2"], None, 0)
    empty += [dict(r, frame=INDEX) for r in empty if r["frame"] == "blob"]
    quiet = build_headline(empty, q, [], [], newest=date(2026, 9, 22))
    assert quiet.lead.startswith("In 2026-Q2 there were too few labelled relevant passages")
    assert not any("moved" in f for f in quiet.findings)  # nothing compared, so no claim of no change


def test_a_difference_interval_never_runs_past_what_the_two_quarters_allow():
    before = Estimate(0.89, 0.11, 0.89, 40, False)  # a corrected share at its boundary: skewed interval
    after = Estimate(0.0, 0.0, 0.29, 40, False)
    change = difference("blob", "2025-Q2", before, "2026-Q2", after)
    assert -1 <= change.lo <= change.diff <= change.hi <= 1
    assert change.lo >= after.lo - before.hi and change.hi <= after.hi - before.lo
