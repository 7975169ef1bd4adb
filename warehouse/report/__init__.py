"""The quarterly report: contract views → headline, charts, examples, methods → HTML and A4 PDF.

Entry points: build.build_report / build.build_report_from_file; quarters.Quarter. This package
file imports nothing, so that the CLI can parse a quarter without loading Altair.
"""
