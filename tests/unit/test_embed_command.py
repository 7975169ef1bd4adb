"""`whitehall embed`: fills missing vectors under the write lock and publishes; a second run does nothing."""

from __future__ import annotations

import duckdb
from rich.console import Console

from tests.small_warehouse import build
from tests.unit.test_embeddings import BagOfWords
from whitehall import commands_research


def test_embed_fills_publishes_and_then_has_nothing_to_do(tmp_path, monkeypatch):
    db = build(tmp_path / "data" / "whitehall.duckdb")
    monkeypatch.setenv("WHITEHALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WHITEHALL_DB", raising=False)
    monkeypatch.setattr("classifiers.encoder.SentenceTransformerEncoder", BagOfWords)
    console = Console(record=True, width=200)
    assert commands_research.run_embed(console, None) == 0
    texts = duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(DISTINCT content_hash), (SELECT count(*) FROM passage_embeddings WHERE encoder = 'fake-bow@1')"
        " FROM passages").fetchone()
    assert texts[0] == texts[1] > 0
    said = console.export_text()
    assert f"embedded {texts[0]} of {texts[0]}" in said and "published a new snapshot" in said
    published = db.stat().st_mtime_ns
    assert commands_research.run_embed(console, None) == 0
    assert "embedded 0 of 0" in console.export_text() and db.stat().st_mtime_ns == published
