"""`whitehall similar` with the real encoder (all-MiniLM-L6-v2) on part of the sample warehouse: the
nearest passages to a paraphrase of a frame are passages written to carry that frame."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from sample_archive.compose import bank
from tests.conftest import ROOT
from warehouse import connect
from warehouse.db import open_db
from warehouse.embeddings import nearest, store_vectors

pytestmark = [pytest.mark.slow, pytest.mark.model]


def written_with(name: str) -> re.Pattern:
    """Matches any sentence of a sample bank (its {slot} fillers as wildcards)."""
    templates = [t.split("|", 1)[-1].strip() for t in bank(name)]
    return re.compile("|".join(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(t)) for t in templates))


@pytest.fixture(scope="module")
def embedded(sample_data, tmp_path_factory):
    """A copy of the sample warehouse with MiniLM vectors for the passages of 2023-H1."""
    from classifiers.encoder import SentenceTransformerEncoder

    db = tmp_path_factory.mktemp("similar") / "whitehall.duckdb"
    shutil.copy(sample_data / "whitehall.duckdb", db)
    con = open_db(db)
    rows = con.execute("SELECT content_hash, any_value(text) FROM passages WHERE date >= '2023-01-01'"
                       " AND date < '2023-07-01' GROUP BY 1 ORDER BY 1").fetchall()
    encoder = SentenceTransformerEncoder()
    store_vectors(con, dict(zip((h for h, _ in rows), encoder.encode([t for _, t in rows]))), encoder.name, "encoder")
    con.execute("CHECKPOINT")
    con.close()  # published: the CLI opens it in another process
    return connect(db), encoder, db, rows


@pytest.mark.parametrize("frame,query,at_least", [
    ("blob", "Whitehall as a whole is a machine that resists and obstructs whatever ministers try to change.", 7),
    ("hero", "Everything worked only because one brilliant private secretary took charge personally.", 7),
    ("candour", "Officials would not tell the minister the plain truth or deliver bad news.", 4),
])
def test_the_nearest_passages_carry_the_frame_the_query_paraphrases(embedded, frame, query, at_least):
    con, encoder, _, rows = embedded
    pattern = written_with(frame)
    base_rate = sum(bool(pattern.search(t)) for _, t in rows) / len(rows)
    hits = nearest(con, encoder.encode([query])[0], encoder.name, k=10)
    carrying = sum(bool(pattern.search(h.text)) for h in hits)
    assert carrying >= at_least and carrying / 10 > 2 * base_rate, (carrying, base_rate)


def test_the_cli_finds_neighbours_of_a_passage_by_id(embedded):
    con, _, db, _ = embedded
    pid, text = con.execute("SELECT passage_id, text FROM v_passages JOIN v_passage_embeddings USING (passage_id)"
                            " WHERE regexp_matches(text, 'blob') ORDER BY passage_id LIMIT 1").fetchall()[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WHITEHALL_")}
    env["WHITEHALL_DB"] = str(db)
    out = subprocess.run([sys.executable, "-m", "whitehall.cli", "similar", pid, "-k", "5", "--format", "json"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 5 and pid not in {r["passage_id"] for r in rows} and text not in {r["text"] for r in rows}
    assert [r["similarity"] for r in rows] == sorted((r["similarity"] for r in rows), reverse=True)
    assert rows[0]["similarity"] > 0.5 and "search in" in out.stderr
