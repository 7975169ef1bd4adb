"""The quarterly report end to end on real trend views: the sample archive loaded by the nightly
flow with labels that follow its truth.jsonl (the bank oracle), so refresh_trends has filled the
trend tables. Reported three times: by the quarterly-report flow (the latest complete quarter), and
for the two quarters the archive documents, found from truth.jsonl: the blob's step down (2024-Q3)
and the first uses of the explicit vocabulary (2026-Q3). Each headline must name the first uses
that speaker_adoption holds and exactly the change points that trend_changes holds for its quarter;
the step quarter's must name the blob's fall. Then the files, the HTML, the PDF, and renders of it
(pdftoppm, headless Chromium) where those tools are installed. Last, a warehouse whose trends were
never refreshed still gets a report, which says so in place of every figure."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.small_warehouse import build as build_small_warehouse
from warehouse.report.build import ADOPTERS_SHOWN, build_report_from_file
from warehouse.report.quarters import Quarter, latest_complete
from warehouse.report.wording import SERIES_NAMES, group_name, long_date

pytestmark = pytest.mark.slow

A4 = (595.28, 841.89)  # points
ALL_CHARTS = ("adoption_index", "frames", "by_source_type", "by_role", "by_party", "explicit", "diffusion")
DETECTOR = "The change-point detector marks"


@pytest.fixture(scope="module")
def data_home(oracle_warehouse) -> Path:
    """The data folder: the sample archive (with its SAMPLE.txt) and the warehouse (read-only)."""
    return oracle_warehouse[0]


@pytest.fixture(scope="module")
def truth(data_home) -> list[dict]:
    return [json.loads(line) for line in (data_home / "archive" / "truth.jsonl").read_text("utf-8").splitlines()]


def _quarter(day: str) -> Quarter:
    return Quarter(int(day[:4]), (int(day[5:7]) - 1) // 3 + 1)


def _first_explicit_quarter(truth: list[dict]) -> Quarter:
    """The quarter in which the truth first carries the explicit vocabulary."""
    return _quarter(min(t["date"] for t in truth if t["explicit"]))


def _blob_step_quarter(truth: list[dict], span: int = 4) -> Quarter:
    """The first quarter after the truth's largest fall in the blob's share of relevant passages
    (the mean of `span` quarters after against the mean of `span` before: robust to one noisy quarter)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in truth:
        if t["relevant"]:
            cell = counts[str(_quarter(t["date"]))]
            cell[0] += "blob" in t["frames"]
            cell[1] += 1
    quarters = sorted(counts)
    share = [counts[q][0] / counts[q][1] for q in quarters]
    falls = {quarters[i]: sum(share[i - span:i]) / span - sum(share[i:i + span]) / span
             for i in range(span, len(quarters) - span + 1)}
    return Quarter.parse(max(falls, key=falls.get))


def _read(data_home: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(data_home / "whitehall.duckdb"), read_only=True)


def _expected_change_points(data_home: Path, quarter: Quarter) -> dict[str, list[str]]:
    """For each series and direction that trend_changes has a change point for in the quarter: how
    the headline's sentence about it must start, and the forums (source types) it must name."""
    with _read(data_home) as con:
        rows = con.execute("SELECT frame, source_type, direction FROM trend_changes WHERE quarter = ?",
                           [str(quarter)]).fetchall()
    expected: dict[str, list[str]] = {}
    for frame, source_type, direction in rows:
        shift = "an upward" if direction == "up" else "a downward"
        forums = expected.setdefault(f"{DETECTOR} {shift} shift in {SERIES_NAMES[frame]} ", [])
        if source_type != "all":
            forums.append(group_name("source_type", source_type).lower())
    return expected


def _speakers(n: int) -> str:
    return f"{n} speaker{'s' if n != 1 else ''}"


def _adopters(data_home: Path) -> list[tuple]:
    with _read(data_home) as con:
        return con.execute("SELECT coalesce(speaker, speaker_id), first_explicit_use FROM speaker_adoption "
                           "ORDER BY first_explicit_use, speaker").fetchall()


@pytest.fixture(scope="module")
def flow_run(data_home, prefect_harness, tmp_path_factory) -> dict:
    """The quarterly-report flow with no quarter: the latest complete one in the data."""
    from flows.report import quarterly_report

    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WHITEHALL_DATA_DIR", str(data_home))
        mp.delenv("WHITEHALL_DB", raising=False)
        mp.delenv("WHITEHALL_ARCHIVE_DIR", raising=False)
        return quarterly_report(output_dir=str(out))


@pytest.fixture(scope="module")
def first(data_home, truth, tmp_path_factory):
    """The report for the quarter of the first explicit uses."""
    return build_report_from_file(data_home / "whitehall.duckdb", tmp_path_factory.mktemp("first"),
                                  _first_explicit_quarter(truth), synthetic=True)


@pytest.fixture(scope="module")
def step(data_home, truth, tmp_path_factory):
    """The report for the quarter in which the blob steps down."""
    return build_report_from_file(data_home / "whitehall.duckdb", tmp_path_factory.mktemp("step"),
                                  _blob_step_quarter(truth), synthetic=True)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_the_flow_reports_the_latest_complete_quarter_from_the_trend_views(flow_run, data_home, truth):
    with _read(data_home) as con:
        newest = con.execute("SELECT max(date) FROM passages").fetchone()[0]
    expected = latest_complete(newest)
    assert flow_run["quarter"] == str(expected)
    html, pdf = Path(flow_run["html"]), Path(flow_run["pdf"])
    assert html.parent.name == str(expected) and html.name == "report.html" and pdf.name == "report.pdf"
    assert sorted(Path(p).stem for p in flow_run["charts"]) == sorted(ALL_CHARTS)
    text = _soup(html).get_text(" ", strip=True)
    assert "Synthetic data." in text  # the archive carries SAMPLE.txt
    assert "No data." not in text and "Not computed" not in text
    assert len(PdfReader(str(pdf)).pages) >= 3
    later = [(speaker, day) for speaker, day in _adopters(data_home) if day > expected.end]
    if _first_explicit_quarter(truth) > expected:  # the sample's first uses fall after the last complete quarter
        first_use = min(t["date"] for t in truth if t["explicit"])
        assert later and min(day for _, day in later).isoformat() == first_use
        assert (f"Early signal: {_speakers(len(later))} used the explicit five-trait vocabulary for the first time "
                f"after {expected} closed (the first on {long_date(min(day for _, day in later))}).") in text


def test_the_flow_publishes_the_headline_as_a_markdown_artifact(flow_run):
    from prefect.artifacts import Artifact

    artifact = Artifact.get("quarterly-report-headline")
    assert artifact is not None and artifact.type == "markdown"
    assert f"## Quarterly report {flow_run['quarter']}: headline" in artifact.data
    assert flow_run["headline"] in artifact.data


def test_the_first_explicit_quarter_reports_its_first_uses(first, data_home, truth):
    first_use = min(t["date"] for t in truth if t["explicit"])
    new = [(speaker, day) for speaker, day in _adopters(data_home) if first.quarter.start <= day <= first.quarter.end]
    assert new and min(day for _, day in new).isoformat() == first_use
    speaker = min(new, key=lambda a: a[1])[0]
    sentence = next(f for f in first.headline.findings if f.startswith("First uses of the explicit"))
    assert sentence.startswith(f"First uses of the explicit five-trait vocabulary: {_speakers(len(new))} used it "
                               f"for the first time this quarter (the first, {speaker}, on {long_date(new[0][1])})")
    assert first.headline.moves.get("explicit_trait_vocabulary") == "up"


def test_the_blob_step_quarter_reports_the_fall(step):
    assert step.headline.moves.get("blob") == "down"
    assert any(f.startswith("'The blob' fell to") for f in step.headline.findings), step.headline.findings
    assert not any(f.startswith("First uses") for f in step.headline.findings)


@pytest.mark.parametrize("report", ["flow_run", "first", "step"])
def test_change_points_are_named_only_where_trend_changes_has_them(report, request, data_home):
    result = request.getfixturevalue(report)
    if report == "flow_run":
        quarter, findings = Quarter.parse(result["quarter"]), _soup(Path(result["html"])).select(
            "section#headline ul.findings li")
        findings = [li.get_text(" ", strip=True) for li in findings]
    else:
        quarter, findings = result.quarter, result.headline.findings
    expected = _expected_change_points(data_home, quarter)
    said = [f for f in findings if f.startswith(DETECTOR)]
    assert len(said) == len(expected), (said, expected)
    for start, forums in expected.items():
        sentence = next(f for f in said if f.startswith(start))
        assert all(forum in sentence for forum in forums), (sentence, forums)


def test_every_file_is_written(first):
    names = {p.name for p in first.folder.iterdir()}
    assert {"report.html", "report.pdf"} <= names
    for chart in ALL_CHARTS:
        png = first.folder / f"{chart}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000, chart
        assert (first.folder / f"{chart}.svg").read_text("utf-8").startswith("<svg")


def test_the_html_has_the_headline_every_chart_with_alt_text_and_the_adopters(first, data_home):
    soup = _soup(first.html)
    headline = soup.select_one("section#headline")
    assert headline.select_one("p.lead").get_text(" ", strip=True) == first.headline.lead
    findings = [li.get_text(" ", strip=True) for li in headline.select("ul.findings li")]
    assert findings == first.headline.findings
    images = soup.select("figure.chart img")
    assert [img["src"] for img in images] == [f"{c}.png" for c in ALL_CHARTS]
    for img in images:
        alt = img.get("alt", "")
        assert len(alt) > 120 and "95%" in alt and str(first.quarter) in alt, img["src"]
        assert img.find_parent("figure").select_one("figcaption").get_text(strip=True)
    assert not soup.select(".no-data")
    upto = [a for a in _adopters(data_home) if a[1] <= first.quarter.end]
    assert len(soup.select("table.adopters tbody tr")) == min(len(upto), ADOPTERS_SHOWN)


def test_example_passages_highlight_the_labels_evidence(first):
    soup = _soup(first.html)
    blocks = soup.select("section#examples div.frame-examples")
    titles = [b.select_one("h3").get_text(" ", strip=True) for b in blocks]
    assert "The explicit five-trait vocabulary rising" in titles
    examples = soup.select("blockquote.example")
    assert examples
    for ex in examples:
        footer = ex.select_one("footer")
        assert footer.select_one("strong").get_text(strip=True)  # the speaker
        assert re.search(r"\d{1,2} \w+ \d{4}", footer.get_text(" "))  # the date
        assert footer.select_one("a")["href"].startswith("https://")  # the original
        marks = ex.select("mark")
        assert marks
        for mark in marks:
            assert len(mark.get_text(strip=True).split()) >= 3


def test_the_marked_spans_are_the_evidence_stored_with_the_labels(first, data_home):
    soup = _soup(first.html)
    marked = {" ".join(m.get_text().split()) for m in soup.select("blockquote.example mark")}
    with _read(data_home) as con:
        evidence = {" ".join(e.split()) for (e,) in con.execute(
            "SELECT evidence FROM labels WHERE decision AND evidence IS NOT NULL").fetchall()}
    assert marked and marked <= evidence


def test_the_pdf_is_a4_with_page_numbers(first):
    reader = PdfReader(str(first.pdf))
    n = len(reader.pages)
    assert n >= 4
    for i, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
        assert f"Page {i} of {n}" in page.extract_text()


def test_a_warehouse_whose_trends_were_never_refreshed_gets_a_report_that_says_so(tmp_path):
    db = build_small_warehouse(tmp_path / "whitehall.duckdb")  # loaded, not refreshed
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM trend_frame_quarterly").fetchone()[0] == 0
    result = build_report_from_file(db, tmp_path / "reports")
    assert result.charts == [] and result.pdf.stat().st_size > 0
    soup = _soup(result.html)
    notes = soup.select("figure.chart p.no-data")
    assert len(notes) == len(ALL_CHARTS) and not soup.select("figure.chart img")
    assert all(n.get_text(" ", strip=True).startswith("No data.") for n in notes)
    assert "refresh-trends" in result.headline.lead and not result.headline.findings
    text = soup.get_text(" ", strip=True)
    assert "No frame rose or fell" not in text and not soup.select("table.glance")


@pytest.mark.render
def test_the_pdf_pages_render_to_png(first, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install -y poppler-utils): PDF render check skipped")
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(first.pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(str(first.pdf)).pages)
    assert all(p.stat().st_size > 5_000 for p in pages)  # not blank


@pytest.mark.render
def test_the_html_renders_in_headless_chromium(first, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium): HTML render check skipped")
    shot = tmp_path / "report.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--hide-scrollbars", "--window-size=1280,3000", f"--screenshot={shot}", first.html.as_uri()],
                   check=True, timeout=120, capture_output=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
