"""The methods and quality section: model and codebook, measured F1, how the intervals are
computed, what the quarter rests on, quarantine and gaps, and caveats."""

from __future__ import annotations

from dataclasses import dataclass, field

from classifiers.codebook import EXPLICIT_FLAG, FRAMES
from warehouse.report.data import ReportData
from warehouse.report.wording import SERIES_NAMES, SHORT_NAMES, SOURCE_TYPES
from warehouse.trends.error_model import MIN_YOUDEN, ErrorModel

METRIC_SPLITS = (("test/real", "Real passages (test)"), ("test/written", "Team-written passages (test)"))
WEAK_F1 = 0.5  # below this macro-F1 on real passages, the caveats say the frame trends are indicative
QUALITY_LABELS = ("relevant", *FRAMES, EXPLICIT_FLAG)
ESTIMATOR = (
    "A frame's share is the estimated share of relevant passages that carry it, with a 95% interval. Where the model's error "
    "rates have been measured on held-out passages (how often it misses a frame, and how often it finds one "
    "that is not there), the share is corrected for them, and the interval carries both sampling error and "
    "the uncertainty in those rates. Where people have annotated enough of a quarter's passages (30 or more), "
    "their annotations correct the model's count instead. A model without measured error rates, such as the "
    "keyword baseline, gets no correction: its intervals cover sampling error only. The adoption index and "
    "its interval are computed from the frame shares by the same estimator.")
METHOD_NAMES = {  # trend_estimates.method -> how the methods section counts it
    "rogan-gladen": "are corrected for the model's measured error rates",
    "ppi": "are corrected with human annotations",
    "uncorrected": "are uncorrected (no measured error rates)",
    "not-estimable": "are not estimated, because the model barely separates the frame in those passages (see the caveats)",
}


@dataclass
class Methods:
    model_version: str
    codebook_version: str
    model_kind: str
    quality_note: str
    quality_columns: list[str] = field(default_factory=list)
    quality_rows: list[dict] = field(default_factory=list)
    estimator_note: str = ""  # how this quarter's shares were estimated
    estimator: str = ESTIMATOR
    source_rows: list[dict] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    last_run: str = ""
    caveats: list[str] = field(default_factory=list)


def _f1_cell(scores: dict | None) -> str:
    if not scores:
        return "\u2013"
    if scores.get("support") == 0:
        return "no positives in the test set"
    text = f"{scores['f1']:.2f}"
    ci = scores.get("f1_ci")
    if ci:
        text += f" ({ci[0]:.2f}\u2013{ci[1]:.2f})"
    if scores.get("support") is not None:
        text += f", n={scores['support']}"
    return text


def _sources(metrics: dict) -> list[tuple[str, dict]]:
    """The score sets shown as columns: the model on each test split, then the keyword baseline."""
    out = [(title, metrics[key]) for key, title in METRIC_SPLITS if key in metrics]
    baseline = (metrics.get("test/real") or {}).get("keywords")
    if baseline:
        out.append(("Keyword baseline, real (test)", baseline))
    return out


def quality_table(card: dict) -> tuple[list[str], list[dict]]:
    """Per-label F1 with its interval and support, from card → metrics → test/real, test/written
    (and the keyword baseline on test/real where the card has it), then the frames' macro-F1."""
    sources = _sources(card.get("metrics") or {})
    rows = []
    for label in QUALITY_LABELS:
        cells = [_f1_cell((scores.get("labels") or {}).get(label)) for _, scores in sources]
        if any(c != "\u2013" for c in cells):
            rows.append({"label": SHORT_NAMES.get(label, "Relevance (the gate)" if label == "relevant" else label),
                         "cells": cells})
    if rows:
        rows.append({"label": "Frames, macro-average", "cells": [_f1_cell(
            {"f1": scores["macro_f1_frames"], "f1_ci": scores.get("macro_f1_ci")}
            if scores.get("macro_f1_frames") is not None else None) for _, scores in sources]})
    return [title for title, _ in sources], rows


def real_macro_f1(card: dict) -> tuple[float, list[float]] | None:
    """The frames' macro-F1 on real held-out passages, with its interval, if measured."""
    real = (card.get("metrics") or {}).get("test/real") or {}
    if real.get("macro_f1_frames") is None:
        return None
    return real["macro_f1_frames"], real.get("macro_f1_ci") or []


def estimator_note(methods: dict[str, int], quarter: str) -> str:
    """How the quarter's shares were estimated, from trend_estimates.method counts."""
    n = sum(methods.values())
    if not n:
        return f"This warehouse holds no estimates for {quarter}."
    names = {m: METHOD_NAMES.get(m, f"are estimated by method '{m}'") for m, k in methods.items() if k}
    shares = f"frame shares estimated for {quarter} (all sources and by source type)"
    if len(names) == 1:
        return f"All {n} {shares} {next(iter(names.values()))}."
    parts = [f"{methods[m]} {what}" for m, what in sorted(names.items(), key=lambda kv: -methods[kv[0]])]
    return f"Of the {n} {shares}, " + ", ".join(parts[:-1]) + " and " + parts[-1] + "."


def build_methods(data: ReportData, *, synthetic: bool, n_comparisons: int) -> Methods:
    model = data.model or {}
    card = model.get("card") or {}
    kind = model.get("kind") or "none"
    columns, rows = quality_table(card)
    if rows:
        note = ("Measured per-label F1 of the current model on held-out test passages (95% bootstrap "
                "interval, and the number of positive passages).")
    elif kind == "keywords":
        note = ("The current model is the keyword baseline: it counts the codebook's cue phrases. It has no "
                "measured quality on held-out passages, and its probabilities are not calibrated.")
    else:
        note = "The model card records no measured quality on held-out passages."
    methods = Methods(model.get("model_version") or "none", model.get("codebook_version") or "unknown",
                      kind, note, columns, rows, estimator_note(data.estimate_methods, str(data.quarter)))
    methods.source_rows = [dict(r, source_type=SOURCE_TYPES.get(r["source_type"], r["source_type"]))
                           for r in data.source_counts]
    methods.gaps = _gap_lines(data.gaps)
    methods.quarantine = data.quarantine
    run = data.last_run
    if run:
        methods.last_run = (f"Latest run ({run['flow']}, run {run['run_id']}): {run['status']}; "
                            f"{run['discovered']} items discovered, {run['loaded']} loaded, {run['unchanged']} "
                            f"unchanged, {run['skipped']} skipped, {run['quarantined']} quarantined, "
                            f"{run['failed_transient']} failed transiently (retried next run).")
    methods.caveats = _caveats(data, synthetic=synthetic, kind=kind, n_comparisons=n_comparisons,
                               real_f1=real_macro_f1(card), blind_spots=blind_spot_caveats(card))
    return methods


def blind_spot_caveats(card: dict) -> list[str]:
    """One caveat per source type in which the model barely separates some frames (their
    shares are not estimated from it: warehouse/METHODS.md §2.1)."""
    by_stratum: dict[str, list[tuple[str, float]]] = {}
    for stratum, label, youden in ErrorModel.from_card(card).blind_spots():
        by_stratum.setdefault(stratum, []).append((label, youden))
    out = []
    for stratum, labels in by_stratum.items():
        names = [f"{SERIES_NAMES.get(label, label)} ({youden:.2f})" for label, youden in labels]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        frames = [label for label, _ in labels if label in FRAMES]
        where = SOURCE_TYPES.get(stratum, stratum).lower()
        text = (f"In {where} the model barely detects {listed}: on held-out passages of that kind, its hit "
                f"rate minus its false-alarm rate (Youden's index, in brackets) is below {MIN_YOUDEN:.2f}, so "
                f"counting its labels there would mostly measure its own errors. These shares are not "
                f"estimated for {where}, and the pooled, role and party figures for them rest on the other sources")
        if frames:
            text += f", and the adoption index, which needs every frame, leaves {where} out"
        out.append(text + ".")
    return out


def _gap_lines(gaps: list[dict]) -> list[str]:
    """'hansard_wms: no passages in July or August 2026', one line per source."""
    months: dict[str, list] = {}
    for g in gaps:
        months.setdefault(g["source"], []).append(g["month"])
    lines = []
    for source, days in months.items():
        names = [f"{d:%B}" for d in days]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        lines.append(f"{source}: no passages in {listed} {days[-1]:%Y}")
    return lines


def _caveats(data: ReportData, *, synthetic: bool, kind: str, n_comparisons: int,
             real_f1: tuple[float, list[float]] | None = None, blind_spots: list[str] | None = None) -> list[str]:
    out = []
    if synthetic:
        out.append("The data are the bundled sample archive, which is synthetic: invented speakers and invented "
                   "text, written in the real sources' formats to follow a documented schedule "
                   "(sample_archive/README.md). The figures show what the pipeline measures, not what anyone said.")
    if kind == "keywords":
        out.append("Labels come from the keyword baseline, not a trained model: a cue phrase in the wrong sense "
                   "counts, and trait language without a cue phrase is missed.")
    if data.estimate_methods.get("uncorrected"):
        out.append(f"Some of {data.quarter}'s shares are not corrected for classifier error, because the model's "
                   "error rates have not been measured: their intervals cover sampling error only, and so "
                   "understate how uncertain they are.")
    if real_f1 is not None and real_f1[0] < WEAK_F1:
        ci = f", 95% CI {real_f1[1][0]:.2f}\u2013{real_f1[1][1]:.2f}" if len(real_f1[1]) == 2 else ""
        out.append(f"On real held-out passages the model finds the frames poorly (macro-F1 {real_f1[0]:.2f}{ci}): "
                   "read the frame trends as indicative, and see the per-label F1 above before relying on one.")
    out += blind_spots or []
    out.append(f"The headline makes {n_comparisons} comparisons at 95%: about one in twenty unchanged series "
               "would look changed by chance, so a single named change deserves a look at its chart.")
    out.append("Role and party are never guessed: where a source does not say, the role is 'unknown' and the "
               "party is not recorded (GOV.UK speeches, for instance, name the office, not the party).")
    out.append("The explicit five-trait vocabulary is a separate flag: using the IfG's words is not the same "
               "as using trait language, which needs no particular words.")
    return out
