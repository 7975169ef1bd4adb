"""Stand-ins for the contract views the trends work provides (by role, by party, trend_changes,
speaker_adoption), with exactly the CONTRACTS.md columns, so the report's tests can exercise the
sections that need them before and after that work is merged. Test-only; naive estimators."""

from __future__ import annotations

from importlib import resources

import duckdb

TRAITS_ANY = "(advice OR delivery OR candour OR understanding OR impartiality)"


def _grouped_trend(column: str) -> str:
    """Migration 004's Wilson view, grouped by `column` instead of source_type."""
    sql = resources.files("warehouse").joinpath("migrations", "004_trend_frame_quarterly.sql").read_text("utf-8")
    body = sql[sql.index("CREATE OR REPLACE VIEW"):]
    return (body.replace("trend_frame_quarterly", f"trend_frame_quarterly_by_{column}")
                .replace("source_type", column))


SPEAKER_ADOPTION = f"""
CREATE OR REPLACE VIEW speaker_adoption AS
WITH lab AS (
    SELECT p.speaker_id, p.speaker, p.role, p.party, p.date, l.explicit_trait_vocabulary,
           CASE WHEN {TRAITS_ANY} THEN 1.0 ELSE 0.0 END AS trait
    FROM v_passages AS p JOIN v_passage_labels AS l USING (passage_id)
    WHERE l.relevant AND p.speaker_id IS NOT NULL
),
firsts AS (
    SELECT speaker_id, min(date) AS first_explicit_use FROM lab WHERE explicit_trait_vocabulary GROUP BY speaker_id
)
SELECT f.speaker_id, arg_max(lab.speaker, lab.date) AS speaker, arg_max(lab.role, lab.date) AS role,
       arg_max(lab.party, lab.date) AS party, f.first_explicit_use,
       avg(lab.trait) FILTER (WHERE lab.date < f.first_explicit_use) AS trait_share_before,
       avg(lab.trait) FILTER (WHERE lab.date >= f.first_explicit_use) AS trait_share_after
FROM firsts AS f JOIN lab USING (speaker_id)
GROUP BY f.speaker_id, f.first_explicit_use
"""


def install(con: duckdb.DuckDBPyConnection, changes: list[tuple] = ()) -> None:
    """Create the four stand-in views; `changes` rows are (frame, source_type, quarter, direction,
    magnitude, score)."""
    con.execute(_grouped_trend("role"))
    con.execute(_grouped_trend("party"))
    con.execute(SPEAKER_ADOPTION)
    con.execute("CREATE OR REPLACE TABLE trend_changes (frame VARCHAR, source_type VARCHAR, quarter VARCHAR,"
                " direction VARCHAR, magnitude DOUBLE, score DOUBLE)")
    if changes:
        con.executemany("INSERT INTO trend_changes VALUES (?, ?, ?, ?, ?, ?)", list(changes))
