"""Build the quarterly report: read the views, work out the headline, draw, write HTML and PDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.db import open_db
from warehouse.report import charts as ch
from warehouse.report.data import ReportData, load
from warehouse.report.estimates import INDEX, all_series, index_from_view
from warehouse.report.examples import FrameExamples, collect
from warehouse.report.headline import Headline, build_headline
from warehouse.report.methods import build_methods
from warehouse.report.quarters import Quarter
from warehouse.report.render import render_html, save_chart, write_pdf
from warehouse.report.wording import (
    ROLE_SINGULAR,
    SHORT_NAMES,
    change_amount,
    group_name,
    long_date,
    value_with_ci,
)

ADOPTERS_SHOWN = 15
SAMPLE_MARKER = "SAMPLE.txt"  # written into the archive by sample_archive/generate.py


@dataclass
class ReportResult:
    quarter: Quarter
    folder: Path
    html: Path
    pdf: Path
    charts: list[Path]
    headline: Headline


def build_charts(data: ReportData, index: dict[str, list[dict]]) -> list[ch.Chart]:
    """Every chart of the report, in reading order (one with no data to show has spec None and says why)."""
    q, pooled = data.quarter, index["all"]
    return [
        ch.adoption_index_chart(pooled, q),
        ch.frames_chart(data.by_source_type, q),
        ch.group_index_chart("by_source_type", "By source type", "source_type", index["source_type"], pooled, q),
        ch.group_index_chart("by_role", "By role", "role", index["role"], pooled, q),
        ch.group_index_chart("by_party", "By party", "party", index["party"], pooled, q),
        ch.explicit_chart(data.by_source_type, q),
        ch.diffusion_chart(data.diffusion, q),
    ]


def _adopters_by_end(data: ReportData) -> list[dict]:
    """Speakers who had used the explicit vocabulary by the quarter's end, in the order they first did."""
    return [a for a in data.adoption if a["first_explicit_use"] <= data.quarter.end]


def _adopters(data: ReportData) -> list[dict]:
    """The latest ADOPTERS_SHOWN of them, latest first, as the table shows them."""
    upto = _adopters_by_end(data)
    return [{"speaker": a["speaker"] or a["speaker_id"], "role": ROLE_SINGULAR.get(a["role"] or "unknown", a["role"]),
             "party": group_name("party", a["party"]), "first": long_date(a["first_explicit_use"]),
             "before": a["trait_share_before"], "after": a["trait_share_after"]}
            for a in upto[-ADOPTERS_SHOWN:]][::-1]


def build_report(con: duckdb.DuckDBPyConnection, out_root: Path, quarter: Quarter | None = None, *,
                 synthetic: bool = False) -> ReportResult:
    """Write <out_root>/<YYYY-Qn>/report.html, report.pdf and the chart PNGs (and SVGs)."""
    data = load(con, quarter)
    q = data.quarter
    index = index_from_view(data.adoption_index)
    pooled = data.pooled + index["all"]
    headline = build_headline(pooled, q, data.changes, data.adoption, data.newest)
    examples: list[FrameExamples] = collect(con, headline.moves, q)
    charts = build_charts(data, index)
    methods = build_methods(data, synthetic=synthetic, n_comparisons=len(headline.changes))
    folder = Path(out_root) / str(q)
    folder.mkdir(parents=True, exist_ok=True)
    pngs = [p for p in (save_chart(c, folder) for c in charts) if p is not None]
    context = {
        "quarter": str(q), "start": long_date(q.start), "end": long_date(q.end),
        "newest": long_date(data.newest), "oldest": long_date(data.oldest), "n_passages": data.n_passages,
        "synthetic": synthetic, "headline": headline, "charts": {c.name: c for c in charts},
        "examples": examples, "methods": methods, "adopters": _adopters(data),
        "n_adopters": len(_adopters_by_end(data)),
        "glance": _glance(headline, q),
    }
    html = render_html(context)
    html_path = folder / "report.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = write_pdf(html, folder, folder / "report.pdf")
    return ReportResult(q, folder, html_path, pdf_path, pngs, headline)


def archive_is_synthetic(archive_dir: Path | None) -> bool:
    """Whether the raw archive is the generated sample (it carries SAMPLE.txt)."""
    return archive_dir is not None and (Path(archive_dir) / SAMPLE_MARKER).exists()


def build_report_from_file(db_path: Path, out_root: Path, quarter: Quarter | None = None, *,
                           synthetic: bool = False) -> ReportResult:
    """Build the report from a warehouse file, opened read-only (a run may be writing its work copy)."""
    con = open_db(db_path, read_only=True)
    try:
        return build_report(con, out_root, quarter, synthetic=synthetic)
    finally:
        con.close()


def _glance(headline: Headline, q: Quarter) -> list[dict]:
    """One row per series: this quarter's value, and the change against each comparison quarter."""
    rows = []
    for series in all_series():
        mine = [c for c in headline.changes if c.series == series]
        if not mine:
            continue
        row = {"series": SHORT_NAMES[series], "is_index": series == INDEX,
               "now": value_with_ci(series, mine[0].after), "low_n": mine[0].after.low_n, "vs": []}
        for before in (q.shift(-1), q.shift(-4)):
            c = next((c for c in mine if c.before_quarter == str(before)), None)
            row["vs"].append({"text": change_amount(c) if c else "\u2013", "supported": bool(c and c.supported),
                              "direction": c.direction if c else ""})
        rows.append(row)
    return rows
