"""The quarterly report end to end on a small warehouse built from the sample archive: once through
the quarterly-report flow as the warehouse stands today (no trend_changes, speaker_adoption or
by-role/by-party views), once with stand-ins for those views; then the files, the HTML, the PDF,
and renders of both (pdftoppm, headless Chromium) where those tools are installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.integration import contract_standins
from tests.integration.small_warehouse import build_warehouse
from warehouse.report.build import build_report_from_file
from warehouse.report.quarters import Quarter, latest_complete

pytestmark = pytest.mark.slow

A4 = (595.28, 841.89)  # points
ALL_CHARTS = ("adoption_index", "frames", "by_source_type", "by_role", "by_party", "explicit", "diffusion")


@pytest.fixture(scope="module")
def data_home(tmp_path_factory, sample_archive) -> Path:
    """A data folder: the sample archive (with its SAMPLE.txt) and a warehouse loaded from it."""
    data = tmp_path_factory.mktemp("report") / "data"
    shutil.copytree(sample_archive, data / "archive")
    build_warehouse(data / "archive", data / "whitehall.duckdb")
    return data


def _first_explicit_quarter(archive: Path) -> Quarter:
    """The quarter in which the sample's truth first carries the explicit vocabulary."""
    rows = [json.loads(line) for line in (archive / "truth.jsonl").read_text("utf-8").splitlines()]
    first = min(r["date"] for r in rows if r["explicit"])
    return Quarter(int(first[:4]), (int(first[5:7]) - 1) // 3 + 1)


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
def full(data_home, tmp_path_factory):
    """A copy of the warehouse with the trends views stood in, reported for the first-use quarter."""
    db = tmp_path_factory.mktemp("full") / "whitehall.duckdb"
    shutil.copy(data_home / "whitehall.duckdb", db)
    quarter = _first_explicit_quarter(data_home / "archive")
    con = duckdb.connect(str(db))
    contract_standins.install(con, [("explicit_trait_vocabulary", "all", str(quarter), "up", 0.2, 8.5),
                                    ("blob", "all", str(quarter.shift(-8)), "down", 0.1, 4.0)])
    con.close()
    return build_report_from_file(db, tmp_path_factory.mktemp("out"), quarter, synthetic=True)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_the_flow_reports_the_latest_complete_quarter_and_says_what_is_not_computed(flow_run, data_home):
    with duckdb.connect(str(data_home / "whitehall.duckdb"), read_only=True) as con:
        newest = con.execute("SELECT max(date) FROM passages").fetchone()[0]
    expected = latest_complete(newest)
    assert flow_run["quarter"] == str(expected)
    html, pdf = Path(flow_run["html"]), Path(flow_run["pdf"])
    assert html.parent.name == str(expected) and html.name == "report.html" and pdf.name == "report.pdf"
    assert sorted(Path(p).stem for p in flow_run["charts"]) == ["adoption_index", "by_source_type", "explicit", "frames"]
    soup = _soup(html)
    text = soup.get_text(" ", strip=True)
    assert "Synthetic data." in text  # the archive carries SAMPLE.txt
    for view in ("trend_frame_quarterly_by_role", "trend_frame_quarterly_by_party", "speaker_adoption"):
        assert f"Not computed: this warehouse has no {view} view yet." in text
    assert "No change points computed: this warehouse has no trend_changes view yet." in text
    first = _first_explicit_quarter(data_home / "archive")
    if first > expected:  # the sample's first uses fall after the last complete quarter
        assert f"Early signal: the first uses of the explicit five-trait vocabulary appear in {first}" in text
    assert len(PdfReader(str(pdf)).pages) >= 3


def test_the_flow_publishes_the_headline_as_a_markdown_artifact(flow_run):
    from prefect.artifacts import Artifact

    artifact = Artifact.get("quarterly-report-headline")
    assert artifact is not None and artifact.type == "markdown"
    assert f"## Quarterly report {flow_run['quarter']}: headline" in artifact.data
    assert flow_run["headline"] in artifact.data


def test_every_file_is_written(full):
    names = {p.name for p in full.folder.iterdir()}
    assert {"report.html", "report.pdf"} <= names
    for chart in ALL_CHARTS:
        png = full.folder / f"{chart}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000, chart
        assert (full.folder / f"{chart}.svg").read_text("utf-8").startswith("<svg")


def test_the_html_has_the_headline_every_chart_with_alt_text_and_no_missing_sections(full):
    soup = _soup(full.html)
    headline = soup.select_one("section#headline")
    assert headline.select_one("p.lead").get_text(" ", strip=True) == full.headline.lead
    findings = [li.get_text(" ", strip=True) for li in headline.select("ul.findings li")]
    assert findings == full.headline.findings
    assert any(f.startswith("First uses of the explicit five-trait vocabulary") for f in findings)
    assert any("upward shift in the explicit five-trait vocabulary" in f for f in findings)
    images = soup.select("figure.chart img")
    assert [img["src"] for img in images] == [f"{c}.png" for c in ALL_CHARTS]
    for img in images:
        alt = img.get("alt", "")
        assert len(alt) > 120 and "95%" in alt and str(full.quarter) in alt, img["src"]
        assert img.find_parent("figure").select_one("figcaption").get_text(strip=True)
    assert "Not computed" not in soup.get_text(" ")
    assert soup.select("table.adopters tbody tr")  # speakers who adopted, from speaker_adoption


def test_example_passages_highlight_the_labels_evidence(full):
    soup = _soup(full.html)
    blocks = soup.select("section#examples div.frame-examples")
    titles = [b.select_one("h3").get_text(" ", strip=True) for b in blocks]
    assert "The explicit five-trait vocabulary rising" in titles
    examples = soup.select("blockquote.example")
    assert examples
    marked = 0
    for ex in examples:
        footer = ex.select_one("footer")
        assert footer.select_one("strong").get_text(strip=True)  # the speaker
        assert re.search(r"\d{1,2} \w+ \d{4}", footer.get_text(" "))  # the date
        assert footer.select_one("a")["href"].startswith("https://")  # the original
        marks = ex.select("mark")
        marked += bool(marks)
        for mark in marks:
            assert len(mark.get_text(strip=True).split()) >= 3
    assert marked == len(examples)


def test_the_marked_spans_are_the_evidence_stored_with_the_labels(full, data_home):
    soup = _soup(full.html)
    marked = {" ".join(m.get_text().split()) for m in soup.select("blockquote.example mark")}
    with duckdb.connect(str(data_home / "whitehall.duckdb"), read_only=True) as con:
        evidence = {" ".join(e.split()) for (e,) in con.execute(
            "SELECT evidence FROM labels WHERE decision AND evidence IS NOT NULL").fetchall()}
    assert marked and marked <= evidence


def test_the_pdf_is_a4_with_page_numbers(full):
    reader = PdfReader(str(full.pdf))
    n = len(reader.pages)
    assert n >= 4
    for i, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
        assert f"Page {i} of {n}" in page.extract_text()


@pytest.mark.render
def test_the_pdf_pages_render_to_png(full, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install -y poppler-utils): PDF render check skipped")
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(full.pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(str(full.pdf)).pages)
    assert all(p.stat().st_size > 5_000 for p in pages)  # not blank


@pytest.mark.render
def test_the_html_renders_in_headless_chromium(full, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium): HTML render check skipped")
    shot = tmp_path / "report.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--hide-scrollbars", "--window-size=1280,3000", f"--screenshot={shot}", full.html.as_uri()],
                   check=True, timeout=120, capture_output=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
