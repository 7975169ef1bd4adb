"""A small warehouse built through the real loader (no Prefect): invented passages from the sample
banks, labelled by the keyword baseline, then published as a snapshot. Fast enough for unit tests.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from classifiers.keywords import KeywordClassifier
from extractors.acquire import Outcome
from extractors.base import ItemRef
from extractors.passage import Document, Passage
from sample_archive.compose import compose_irrelevant, compose_relevant
from sample_archive.schedule import frame_shares
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, commit_batch, label_batch, plan_batch
from warehouse.ledger import RunLedger, begin_run, finish_run
from warehouse.model_registry import register_model
from warehouse.publish import WriteLock, prepare_work_db, publish

CLASSIFIER = KeywordClassifier()
SPEAKERS = (  # (name, role, party)
    ("Ann Minister", "minister", "Labour"),
    ("Bob Backbencher", "backbench_mp", "Conservative"),
    ("Cat Shadow", "shadow_minister", "Conservative"),
    ("Dr Dee Witness", "external_witness", None),
    ("Ed Member", "committee_member", "Liberal Democrat"),
)
KINDS = (("hansard", "debate"), ("committees", "committee_evidence"))


def invented_documents(seed: int = 7, days: int = 24, first: date = date(2023, 1, 10),
                       per_doc: int = 8) -> list[Document]:
    """Documents every ~30 days from `first`, alternating debates and committee evidence."""
    rng = random.Random(seed)
    docs = []
    for d in range(days):
        day = first + timedelta(days=30 * d)
        source, source_type = KINDS[d % 2]
        doc_id = f"{source}:invented/{day.isoformat()}"
        shares = frame_shares(day.year, (day.month - 1) // 3 + 1)
        passages, previous = [], ""
        for i in range(per_doc):
            composed = compose_relevant(rng, shares) if rng.random() < 0.6 else compose_irrelevant(rng)
            name, role, party = SPEAKERS[(d + i) % len(SPEAKERS)]
            if source_type == "debate" and role in ("external_witness", "committee_member"):
                name, role, party = SPEAKERS[i % 3]
            passages.append(Passage.build(
                source=source, source_type=source_type, document_id=doc_id, locator=f"{day}:{i}",
                text=composed.text, date=day, speaker=name, speaker_id=f"person/{name.split()[-1].lower()}",
                role=role, party=party, url=f"https://example.org/{source}/{day}#{i}", context=previous))
            previous = composed.text.split(". ")[-1]
        docs.append(Document(document_id=doc_id, source=source, source_type=source_type, item_id=doc_id,
                             version="a", date=day, title=f"Invented {source_type} {day}", passages=passages))
    return docs


def load(con, documents: list[Document]) -> RunLedger:
    """Plan, label and commit documents as one batch of a run, as the nightly flow does."""
    register_model(con, CLASSIFIER.model_version, CLASSIFIER.codebook_version, "keywords")
    ledger = RunLedger(begin_run(con, "test", "replay"))
    outcomes = [Outcome(ItemRef(doc.source, doc.document_id, doc.url or "http://x", doc.date.isoformat()),
                        "parsed", document=doc, raw_sha256=None) for doc in documents]
    for source in {doc.source for doc in documents}:
        ledger.discover(source, sum(doc.source == source for doc in documents))
        mine = [o for o in outcomes if o.ref.source == source]
        batch = plan_batch(con, mine, CLASSIFIER.model_version)
        commit_batch(con, ledger, SourceProgress(source, None), batch, label_batch(batch, CLASSIFIER))
    ledger.reconcile()
    finish_run(con, ledger, "completed")
    return ledger


def build(db_path: Path, documents: list[Document] | None = None) -> Path:
    """Load documents into the working database under the write lock and publish `db_path`."""
    with WriteLock(db_path):
        work = prepare_work_db(db_path)
        con = open_db(work)
        load(con, documents if documents is not None else invented_documents())
        con.execute("CHECKPOINT")
        con.close()
        publish(work, db_path)
    return db_path
