"""Writing a result as a terminal table, CSV or JSON, to stdout or a file."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table

FORMATS = ("table", "csv", "json")


def _plain(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def render(columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: str) -> str | Table:
    """CSV or JSON text, or a rich Table, of a result."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else json.dumps(_plain(v)) if isinstance(v, (list, dict))
                             else _plain(v) for v in row])
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(columns, (_plain(v) for v in row))) for row in rows],
                          ensure_ascii=False, indent=1) + "\n"
    if fmt != "table":
        raise ValueError(f"format must be one of {FORMATS}")
    table = Table(show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("∅" if v is None else str(_plain(v)) for v in row))
    return table


def emit(console: Console, result: str | Table, output: Path | None) -> None:
    """Print to the console (tables) or stdout, or write text to `output`."""
    if output is not None:
        if isinstance(result, Table):
            with open(output, "w", encoding="utf-8") as handle:
                Console(file=handle, width=200).print(result)
        else:
            Path(output).write_text(result, encoding="utf-8")
        return
    if isinstance(result, Table):
        console.print(result)
    else:
        sys.stdout.write(result)
        sys.stdout.flush()
