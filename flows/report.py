"""The quarterly report flow: build the report for the latest complete quarter, publish its headline."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from warehouse.report.build import ReportResult, archive_is_synthetic, build_report_from_file
from warehouse.report.quarters import Quarter
from whitehall.settings import Settings


@task(name="build-report", cache_policy=NONE)
def build(db_path: Path, out_root: Path, quarter: Quarter | None, synthetic: bool) -> ReportResult:
    return build_report_from_file(db_path, out_root, quarter, synthetic=synthetic)


@flow(name="quarterly-report", log_prints=True)
def quarterly_report(quarter: str | None = None, output_dir: str | None = None) -> dict:
    """Write reports/YYYY-Qn/report.html, report.pdf and the charts; publish the headline."""
    settings = Settings()
    out_root = Path(output_dir) if output_dir else settings.reports_dir
    result = build(settings.db_path, out_root, Quarter.parse(quarter) if quarter else None,
                   archive_is_synthetic(settings.archive_path))
    files = f"\n\nFiles: `{result.html}`, `{result.pdf}` and {len(result.charts)} charts in `{result.folder}`.\n"
    create_markdown_artifact(key="quarterly-report-headline", markdown=result.headline.to_markdown() + files,
                             description=f"Quarterly report {result.quarter}: the headline")
    return {"quarter": str(result.quarter), "html": str(result.html), "pdf": str(result.pdf),
            "charts": [str(p) for p in result.charts], "headline": result.headline.lead}
