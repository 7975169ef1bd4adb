"""The quarterly report: contract views → headline, charts, examples, methods → HTML and A4 PDF."""

from warehouse.report.build import (
           ReportResult,
           archive_is_synthetic,
           build_report,
           build_report_from_file,
)
from warehouse.report.data import NoDataError
from warehouse.report.quarters import Quarter, latest_complete

__all__ = ["NoDataError", "Quarter", "ReportResult", "archive_is_synthetic", "build_report",
           "build_report_from_file", "latest_complete"]
