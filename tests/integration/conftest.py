"""The sample warehouse: the nightly flow run once on the synthetic sample archive, then shared read-only."""

from __future__ import annotations

import random
import shutil
from datetime import date

import pytest

from extractors.passage import Document, Passage
from sample_archive.compose import compose_irrelevant, compose_relevant
from sample_archive.schedule import frame_shares
from tests.small_warehouse import load
from warehouse.db import open_db
from warehouse.publish import WriteLock, prepare_work_db, publish
from warehouse.search_index import upkeep

WITNESSES = (("Dr Nia Example", "external_witness", None), ("Sir Tom Sample", "official", None),
             ("Priya Invented", "committee_member", "Labour"), ("Hugh Madeup", "committee_member", "Conservative"),
             ("Jo Fictional", "committee_member", "Liberal Democrat"))


def committee_sessions(seed: int = 11) -> list[Document]:
    """Invented committee evidence, one session a quarter, 2020 to 2026 (until the committees source
    ships its own sample documents, the sample archive has no committee evidence)."""
    rng = random.Random(seed)
    docs = []
    for year in range(2020, 2027):
        for q in range(1, 5 if year < 2026 else 3):
            day = date(year, 3 * q - 1, 15)
            doc_id = f"committees:invented/{day.isoformat()}"
            passages = []
            for i in range(10):
                composed = compose_relevant(rng, frame_shares(year, q)) if i % 3 else compose_irrelevant(rng)
                name, role, party = WITNESSES[i % len(WITNESSES)]
                passages.append(Passage.build(
                    source="committees", source_type="committee_evidence", document_id=doc_id,
                    locator=f"Q{i + 1}", text=composed.text, date=day, speaker=name, role=role, party=party,
                    url=f"https://committees.parliament.uk/oralevidence/invented-{day}/html/#Q{i + 1}"))
            docs.append(Document(document_id=doc_id, source="committees", source_type="committee_evidence",
                                 item_id=doc_id, date=day, title=f"Invented evidence session {day}",
                                 passages=passages))
    return docs


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory, sample_archive, prefect_harness):
    """A data folder holding the published sample warehouse and its search index (treat as read-only)."""
    from flows.nightly import nightly

    data = tmp_path_factory.mktemp("sample-warehouse") / "data"
    shutil.copytree(sample_archive, data / "archive")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WHITEHALL_DATA_DIR", str(data))
        env.delenv("WHITEHALL_DB", raising=False)
        env.delenv("WHITEHALL_ARCHIVE_DIR", raising=False)
        env.delenv("WHITEHALL_SEARCH_DIR", raising=False)
        env.setenv("WHITEHALL_BASELINE", "true")  # the keyword baseline labels fast; the model has its own tests
        summary = nightly(transport="replay", since=date(2016, 1, 1))
    assert summary["status"] == "completed" and summary["published"]
    db = data / "whitehall.duckdb"
    with WriteLock(db):
        con = open_db(prepare_work_db(db))
        if not con.execute("SELECT count(*) FROM passages WHERE source_type = 'committee_evidence'").fetchone()[0]:
            load(con, committee_sessions())
            upkeep(con, data / "search")
        con.execute("CHECKPOINT")
        con.close()
        publish(prepare_work_db(db), db)
    return data
