"""Parsing of command-line values shared by the CLI's commands."""

from __future__ import annotations

from datetime import date

import typer


def iso_date(value: str | None) -> date | None:
    """An ISO date option (None when not given), or a clear usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2023-01-01") from None
