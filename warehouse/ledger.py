"""Run accounting: each discovered item ends in exactly one state, and the counts must reconcile."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import duckdb

from extractors.vocab import ITEM_STATES, SKIP_REASONS


class ReconciliationError(RuntimeError):
    """A run whose item counts do not add up: something was lost or double-counted."""


@dataclass
class ItemRecord:
    source: str
    item_id: str
    state: str
    reason: str | None = None
    error: str | None = None
    document_id: str | None = None
    cursor: str | None = None


@dataclass
class RunLedger:
    """The states of every item a run discovered, by source."""

    run_id: int
    discovered: Counter = field(default_factory=Counter)
    records: dict[tuple[str, str], ItemRecord] = field(default_factory=dict)
    passages_loaded: int = 0
    passages_removed: int = 0
    resolved: int = 0  # quarantine rows resolved by this run
    notes: list[str] = field(default_factory=list)

    @property
    def touched_passages(self) -> bool:
        """Whether the run loaded or removed any passage (labels are only written with them)."""
        return self.passages_loaded > 0 or self.passages_removed > 0

    def discover(self, source: str, n: int) -> None:
        self.discovered[source] += n

    def settle(self, record: ItemRecord) -> None:
        """Record an item's final state; an item can settle only once."""
        if record.state not in ITEM_STATES:
            raise ValueError(f"unknown item state {record.state!r}")
        if record.state == "skipped" and record.reason not in SKIP_REASONS:
            raise ValueError(f"skip reason {record.reason!r} not in {SKIP_REASONS}")
        key = (record.source, record.item_id)
        if key in self.records:
            raise ReconciliationError(f"item {key} settled twice ({self.records[key].state}, {record.state})")
        self.records[key] = record

    def counts(self, source: str | None = None) -> dict[str, int]:
        states = Counter(r.state for r in self.records.values() if source in (None, r.source))
        out = {"discovered": sum(self.discovered.values()) if source is None else self.discovered[source]}
        out.update({state: states.get(state, 0) for state in ITEM_STATES})
        return out

    def by_source(self) -> dict[str, dict[str, int]]:
        sources = sorted(set(self.discovered) | {r.source for r in self.records.values()})
        return {s: self.counts(s) for s in sources}

    def skip_reasons(self) -> dict[str, int]:
        return dict(Counter(r.reason for r in self.records.values() if r.state == "skipped"))

    def reconcile(self) -> None:
        """Fail loudly unless discovered = loaded + unchanged + skipped + quarantined + failed_transient."""
        for source, c in self.by_source().items():
            settled = sum(c[s] for s in ITEM_STATES)
            if settled != c["discovered"]:
                raise ReconciliationError(
                    f"run {self.run_id}, source {source}: discovered {c['discovered']} but "
                    f"{settled} settled ({', '.join(f'{s}={c[s]}' for s in ITEM_STATES)})"
                )


def begin_run(con: duckdb.DuckDBPyConnection, flow: str, transport: str | None) -> int:
    run_id = con.execute("SELECT nextval('run_ids')").fetchone()[0]
    con.execute(
        "INSERT INTO runs (run_id, flow, started_at, status, transport) VALUES (?, ?, now(), 'running', ?)",
        [run_id, flow, transport],
    )
    return int(run_id)


def finish_run(con: duckdb.DuckDBPyConnection, ledger: RunLedger, status: str,
               error: str | None = None) -> None:
    c = ledger.counts()
    con.execute(
        "UPDATE runs SET finished_at = now(), status = ?, discovered = ?, loaded = ?, unchanged = ?,"
        " skipped = ?, quarantined = ?, failed_transient = ?, passages_loaded = ?,"
        " passages_removed = ?, skipped_reasons = ?, notes = ?, error = ? WHERE run_id = ?",
        [status, c["discovered"], c["loaded"], c["unchanged"], c["skipped"], c["quarantined"],
         c["failed_transient"], ledger.passages_loaded, ledger.passages_removed,
         json.dumps(ledger.skip_reasons()), json.dumps(ledger.notes), error, ledger.run_id],
    )


def per_source_counts(con: duckdb.DuckDBPyConnection, run_id: int) -> dict[str, dict[str, int]]:
    """Per-source state counts of a stored run (for `whitehall status` and the run artifact)."""
    rows = con.execute(
        "SELECT source, state, count(*) FROM run_items WHERE run_id = ? GROUP BY ALL", [run_id]
    ).fetchall()
    out: dict[str, dict[str, int]] = defaultdict(lambda: {s: 0 for s in ITEM_STATES})
    for source, state, n in rows:
        out[source][state] = n
    return dict(out)


def mark_interrupted(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Runs still 'running' when a new run holds the write lock died (killed): say so."""
    ids = [r[0] for r in con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchall()]
    if ids:
        con.execute(
            "UPDATE runs SET status = 'interrupted', error = coalesce(error, 'the process ended before the run "
            "finished (killed or crashed); committed batches are kept and the next run goes on from the "
            "watermark') WHERE run_id IN (SELECT unnest(?))", [ids])
    return ids


def source_statuses(ledger: RunLedger, sources: list[str], failures: dict[str, str],
                    run_error: str | None = None) -> dict[str, tuple[str, str | None]]:
    """Per source: ('failed', why) when discovery failed, every item failed transiently or the
    run failed; else ('ok', None)."""
    out: dict[str, tuple[str, str | None]] = {}
    for source in sources:
        c = ledger.counts(source)
        if source in failures:
            out[source] = ("failed", failures[source])
        elif run_error:
            out[source] = ("failed", run_error)
        elif c["discovered"] and c["failed_transient"] == c["discovered"]:
            out[source] = ("failed", f"all {c['discovered']} items failed transiently (the source was down)")
        else:
            out[source] = ("ok", None)
    return out


def record_sources(con: duckdb.DuckDBPyConnection, ledger: RunLedger,
                   statuses: dict[str, tuple[str, str | None]]) -> None:
    """One run_sources row per source of the run, with its state counts."""
    for source, (status, error) in statuses.items():
        c = ledger.counts(source)
        con.execute(
            "INSERT OR REPLACE INTO run_sources (run_id, source, status, error, discovered, loaded, unchanged,"
            " skipped, quarantined, failed_transient) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ledger.run_id, source, status, error, c["discovered"], c["loaded"], c["unchanged"], c["skipped"],
             c["quarantined"], c["failed_transient"]],
        )


def source_counts(con: duckdb.DuckDBPyConnection, run_id: int) -> dict[str, dict[str, object]]:
    """Per-source counts of a stored run with `discovered`, status and whether they reconcile."""
    items = per_source_counts(con, run_id)
    rows = con.execute(
        "SELECT source, status, error, discovered FROM run_sources WHERE run_id = ? ORDER BY source", [run_id]
    ).fetchall()
    out: dict[str, dict[str, object]] = {}
    for source, status, error, discovered in rows:
        counts = items.get(source, {s: 0 for s in ITEM_STATES})
        out[source] = {"discovered": discovered, **counts, "status": status, "error": error,
                       "reconciles": discovered == sum(counts[s] for s in ITEM_STATES)}
    for source, counts in items.items():
        if source not in out:  # a run from before run_sources existed
            out[source] = {"discovered": None, **counts, "status": None, "error": None, "reconciles": None}
    return out
