"""The methods and quality section: model and codebook, measured F1, how the intervals are
computed, what the quarter rests on, quarantine and gaps, and caveats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from markupsafe import Markup, escape

from classifiers.codebook import EXPLICIT_FLAG, FRAMES
from warehouse.report.data import ReportData
from warehouse.report.wording import SHORT_NAMES, SOURCE_TYPES

METRIC_SPLITS = (("test/real", "Real passages (test)"), ("test/written", "Team-written passages (test)"))
SUMMARY_PARAGRAPHS = 3  # of METHODS.md's introduction, quoted under "How the intervals are computed"
WEAK_F1 = 0.5  # below this macro-F1 on real passages, the caveats say the frame trends are indicative
QUALITY_LABELS = ("relevant", *FRAMES, EXPLICIT_FLAG)
ESTIMATOR_FALLBACK = ("The trend views give each share with a 95% interval; warehouse/METHODS.md, which "
                      "documents their estimator, is not in this installation.")


@dataclass
class Methods:
    model_version: str
    codebook_version: str
    model_kind: str
    quality_note: str
    quality_columns: list[str] = field(default_factory=list)
    quality_rows: list[dict] = field(default_factory=list)
    estimator: list[Markup] = field(default_factory=list)
    has_methods_md: bool = False
    index_note: str = ""
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


def _inline(text: str) -> Markup:
    """Escape, then render `code`, **bold** and [text](link) as a small Markdown subset."""
    html = str(escape(text))
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    html = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", html)
    html = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', html)
    return Markup(html)


def estimator_summary(methods_md: str | None) -> list[Markup]:
    """The paragraphs of METHODS.md before its first '## ' section: its summary."""
    if not methods_md:
        return [Markup(escape(ESTIMATOR_FALLBACK))]
    paragraphs, current = [], []
    for line in methods_md.splitlines():
        if line.startswith("## "):
            break
        if line.startswith("# "):
            continue
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return [_inline(p) for p in paragraphs[:SUMMARY_PARAGRAPHS]] or [Markup(escape(ESTIMATOR_FALLBACK))]


def read_methods_md(path: Path | None = None) -> str | None:
    """warehouse/METHODS.md (or the given file), if it exists."""
    if path is not None:
        return path.read_text("utf-8") if path.exists() else None
    entry = resources.files("warehouse").joinpath("METHODS.md")
    return entry.read_text("utf-8") if entry.is_file() else None


def index_note(data: ReportData) -> str:
    """Where the adoption index comes from: the trends view, or computed here from the frame shares."""
    if data.index_view is not None:
        return ("The adoption index and its interval are read from the trend_adoption_quarterly view, "
                "as the trend estimator computes them.")
    note = ("The adoption index is computed here from the frame shares: the sum of the five trait shares "
            "over that sum plus the blob and hero shares. Its interval combines the seven frames' intervals "
            "by the delta method, allowing for how often frames occur together in a passage (their "
            "correlation over all relevant passages).")
    if data.index_view_error:
        note = f"The trend_adoption_quarterly view could not be read ({data.index_view_error}). " + note
    return note


def build_methods(data: ReportData, *, synthetic: bool, methods_md: str | None,
                  n_comparisons: int) -> Methods:
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
                      kind, note, columns, rows, estimator_summary(methods_md), methods_md is not None,
                      index_note(data))
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
                               real_f1=real_macro_f1(card))
    return methods


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
             real_f1: tuple[float, list[float]] | None = None) -> list[str]:
    out = []
    if synthetic:
        out.append("The data are the bundled sample archive, which is synthetic: invented speakers and invented "
                   "text, written in the real sources' formats to follow a documented schedule "
                   "(sample_archive/README.md). The figures show what the pipeline measures, not what anyone said.")
    if kind == "keywords":
        out.append("Labels come from the keyword baseline, not a trained model: a cue phrase in the wrong sense "
                   "counts, and trait language without a cue phrase is missed.")
    if real_f1 is not None and real_f1[0] < WEAK_F1:
        ci = f", 95% CI {real_f1[1][0]:.2f}\u2013{real_f1[1][1]:.2f}" if len(real_f1[1]) == 2 else ""
        out.append(f"On real held-out passages the model finds the frames poorly (macro-F1 {real_f1[0]:.2f}{ci}): "
                   "read the frame trends as indicative, and see the per-label F1 above before relying on one.")
    missing = sorted({name for name in ("trend_frame_quarterly_by_role", "trend_frame_quarterly_by_party",
                                        "trend_changes", "speaker_adoption") if name not in data.relations})
    if missing:
        out.append("This warehouse does not hold " + ", ".join(missing) + ", so the sections that need "
                   "them say 'not computed'.")
    out.append(f"The headline makes {n_comparisons} comparisons at 95%: about one in twenty unchanged series "
               "would look changed by chance, so a single named change deserves a look at its chart.")
    out.append("Role and party are never guessed: where a source does not say, the role is 'unknown' and the "
               "party is not recorded (GOV.UK speeches, for instance, name the office, not the party).")
    out.append("The explicit five-trait vocabulary is a separate flag: using the IfG's words is not the same "
               "as using trait language, which needs no particular words.")
    return out
