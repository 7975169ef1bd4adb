"""What the nightly run keeps up after loading: the search index, then missing embeddings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from warehouse import embeddings, search_index


@dataclass
class UpkeepResult:
    search: dict | None = None
    embedded: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def after_load(con: duckdb.DuckDBPyConnection, search_dir: Path,
               encoder_factory: Callable[[], object] | None = None, *, changed: bool = True) -> UpkeepResult:
    """Bring the search index (and, given an encoder, the embeddings) up to date.

    `changed=False` (the run loaded, removed and relabelled nothing) skips both, unless the
    index is missing or an earlier upkeep did not finish: a night with nothing new then costs
    nothing here, however large the warehouse. A failure leaves the loaded data as it is and
    is reported as a note: the index is derived and the next run repairs it.
    """
    result = UpkeepResult()
    if not changed and not search_index.upkeep_needed(search_dir):
        return result
    try:
        result.search = asdict(search_index.upkeep(con, search_dir))
    except Exception as exc:  # noqa: BLE001 (derived data: report, do not fail the load)
        result.notes.append(f"search index upkeep failed: {type(exc).__name__}: {exc}")
    if encoder_factory is not None and changed:
        try:
            encoder = encoder_factory()
            if embeddings.missing(con, encoder.name, limit=1):
                result.embedded = embeddings.fill_missing(con, encoder)
        except Exception as exc:  # noqa: BLE001
            result.notes.append(f"embedding upkeep failed: {type(exc).__name__}: {exc}")
    return result
