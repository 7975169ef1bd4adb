"""Trends: error-corrected shares with intervals, change points and adoption (warehouse/METHODS.md)."""
