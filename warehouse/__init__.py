"""The DuckDB warehouse. Researchers: `from warehouse import connect` gives a read-only connection."""

from warehouse.access import connect

__all__ = ["connect"]
