"""The fault matrix: one nightly run of the real flow with a different fault on each item, then the
recovery an operator would do, checking the run accounting after every step and, at the end, that
the warehouse is identical to a clean build: nothing lost, nothing duplicated.

Faults injected (the transport answers the item's URL with it while the fault is active):
HTTP 429 with Retry-After, 500 then OK, 503 throughout, connection reset, timeouts throughout,
the connection cut mid-body, a body silently truncated, an HTML error page served with 200, the
right body under a wrong Content-Type, a redirect loop, an oversized streamed body, a gzip bomb,
a lying Content-Length, malformed XML, an empty document, cp1252 declared as UTF-8, a stray BOM,
a billion-laughs DTD, an external entity (XXE), an absurdly long passage, malformed JSON, HTML
with script and style, control characters / NUL / a lone surrogate, cp1252 JSON, the same speech
on GOV.UK and in Hansard, and a whole source's listing down (503).
"""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.faults import payloads
from tests.faults.conftest import MATRIX_SETTINGS, MATRIX_SOURCES
from tests.faults.harness import (START, Fault, assert_reconciles, duplicates, items_by_state, lost,
                                  scenario)

pytestmark = pytest.mark.slow

GOVUK = "https://www.gov.uk/api/content"

# name, source, fault kind, arg, times, state after the faulty run, error text, recovered by
HANSARD_CASES = [
    ("HTTP 429 with Retry-After: 7", "status", (429, {"retry-after": "7"}), 1, "loaded", None, "-"),
    ("HTTP 500 twice, then OK", "status", 500, 2, "loaded", None, "-"),
    ("connection reset once", "reset", None, 1, "loaded", None, "-"),
    ("connection cut mid-body once", "cut_connection", None, 1, "loaded", None, "-"),
    ("body silently truncated", "truncate", None, None, "quarantined", "malformed XML", "refetch"),
    ("HTML error page served with 200", "body", payloads.HTML_ERROR_PAGE, None, "quarantined",
     "root element is <html>", "refetch"),
    ("wrong Content-Type, right body", "content_type", "text/html; charset=iso-8859-1", None, "loaded", None, "-"),
    ("redirect loop", "redirect_loop", None, None, "quarantined", "redirect loop", "retry"),
    ("oversized body, streamed", "stream", 3 * 1024 * 1024, None, "quarantined", "exceeds the cap", "retry"),
    ("Content-Length over the cap", "declared_huge", 10 ** 12, None, "quarantined", "exceeds the cap", "retry"),
    ("malformed XML", "body", payloads.malformed_xml, None, "quarantined", "malformed XML", "refetch"),
    ("empty document", "body", b"", None, "quarantined", "empty document", "refetch"),
    ("cp1252 declared as UTF-8", "body", payloads.cp1252_declared_utf8, None, "loaded", None, "rescan"),
    ("stray BOM before the declaration", "body", payloads.stray_bom, None, "loaded", None, "-"),
    ("billion laughs", "body", payloads.BILLION_LAUGHS, None, "quarantined", "refused", "refetch"),
    ("external entity (XXE)", "body", payloads.XXE, None, "quarantined", "external entity declaration (XXE)",
     "refetch"),
    ("absurdly long passage (300,000 chars)", "body", payloads.long_passage, None, "loaded", None, "rescan"),
    # last: the watermark stops before an item that failed transiently, so the next run
    # goes over everything after it again (unchanged), and would retry the faults above
    ("HTTP 503 on every attempt", "status", 503, None, "failed_transient", "HTTP 503", "rerun"),
    ("timeout on every attempt", "timeout", None, None, "failed_transient", "ReadTimeout", "rerun"),
]
GOVUK_CASES = [
    ("malformed JSON", "body", payloads.malformed_json, None, "quarantined", "not a Content API item", "refetch"),
    ("HTML with script and style", "body", payloads.govuk_script_and_style, None, "loaded", None, "-"),
    ("control characters, NUL, lone surrogate", "body", payloads.govuk_control_characters, None, "loaded",
     None, "rescan"),
    ("byte-order mark", "body", payloads.bom, None, "loaded", None, "-"),
    ("cp1252 JSON", "body", payloads.govuk_cp1252, None, "loaded", None, "rescan"),
    ("gzip bomb (20 MB of zeros)", "gzip_bomb", 20 * 1024 * 1024, None, "quarantined", "exceeds the cap", "retry"),
]


def _clean_items(clean, source: str) -> list[str]:
    with clean.read() as con:
        return [r[0] for r in con.execute(
            "SELECT item_id FROM run_items WHERE source = ? AND state = 'loaded' ORDER BY cursor", [source]).fetchall()]


def _plan(clean) -> tuple[list[Fault], list[dict]]:
    hansard, govuk = _clean_items(clean, "hansard"), _clean_items(clean, "govuk")
    assert len(hansard) >= len(HANSARD_CASES) + 1 and len(govuk) >= len(GOVUK_CASES) + 1
    faults, cases = [], []
    for (name, kind, arg, times, state, error, recovery), item in zip(HANSARD_CASES, hansard):
        faults.append(Fault(f"/{item}", kind, arg, times))
        cases.append(dict(name=name, source="hansard", item=item, state=state, error=error, recovery=recovery))
    for (name, kind, arg, times, state, error, recovery), item in zip(GOVUK_CASES, govuk):
        faults.append(Fault(f"{GOVUK}{item}", kind, arg, times))
        cases.append(dict(name=name, source="govuk", item=item, state=state, error=error, recovery=recovery))
    with clean.read() as con:  # the same speech on GOV.UK and in Hansard: kept as two, linked
        donor = hansard[-1]
        texts = [r[0] for r in con.execute(
            "SELECT text FROM passages WHERE document_id = (SELECT document_id FROM run_items WHERE item_id = ?)"
            " AND length(text) >= 80 ORDER BY seq LIMIT 4", [donor]).fetchall()]
    twin = govuk[len(GOVUK_CASES)]
    faults.append(Fault(f"{GOVUK}{twin}", "body", payloads.govuk_same_text_as(texts)))
    cases.append(dict(name="the same speech on GOV.UK and in Hansard", source="govuk", item=twin,
                      state="loaded", error=None, recovery="rescan", twin_of=texts))
    faults.append(Fault("/wms/changedates.txt", "status", 503))  # a whole source down
    return faults, cases


def test_fault_matrix_ends_identical_to_a_clean_build(tmp_path, origin, clean_matrix, monkeypatch):
    from flows.nightly import nightly
    from flows.quarantine import quarantine_retry

    clean, clean_summary = clean_matrix
    faults, cases = _plan(clean)
    run = scenario(tmp_path, origin, MATRIX_SOURCES, faults=faults, **MATRIX_SETTINGS).install(monkeypatch)
    observed: dict[str, list[str]] = {c["name"]: [] for c in cases}

    # 1. the faulty night
    first = nightly()
    assert first["status"] == "completed_with_errors"
    assert set(first["failures"]) == {"hansard_wms"} and "HTTP 503" in first["failures"]["hansard_wms"]
    with run.read() as con:
        counts = assert_reconciles(con, first["run_id"])
        states = items_by_state(con, first["run_id"])
        for case in cases:
            state, _, error = states[case["item"]]
            assert state == case["state"], (case["name"], state, error)
            if case["error"]:
                assert case["error"] in error, (case["name"], error)
            observed[case["name"]].append(state + (f" ({error.split(': ', 1)[-1][:60]})" if error else ""))
        wms = con.execute("SELECT status, error FROM run_sources WHERE run_id = ? AND source = 'hansard_wms'",
                          [first["run_id"]]).fetchone()
        assert wms[0] == "failed" and "503" in wms[1]
        assert duplicates(con) == 0
        _check_neutralised(con, cases)
        _check_quarantine_rows(con, cases)
        transient = [c["item"] for c in cases if c["state"] == "failed_transient"]
        cursor = con.execute("SELECT cursor FROM watermarks WHERE source = 'hansard'").fetchone()[0]
        first_transient = min(con.execute("SELECT cursor FROM run_items WHERE item_id IN (SELECT unnest(?))",
                                          [transient]).fetchall())[0]
        assert cursor < first_transient  # the watermark never passes an item that failed transiently
    assert 7.0 in run.sleeps  # Retry-After honoured
    assert counts["discovered"] == clean_summary["totals"]["discovered"] - clean_summary["by_source"][
        "hansard_wms"]["discovered"]

    # 2. the source comes back: the next night goes on from the watermark
    run.transport.active = False
    second = nightly()
    with run.read() as con:
        assert_reconciles(con, second["run_id"])
        states = items_by_state(con, second["run_id"])
        for case in cases:
            if case["recovery"] == "rerun":
                assert states[case["item"]][0] == "loaded"
                observed[case["name"]].append("loaded by the next run")
        assert second["by_source"]["hansard_wms"]["loaded"] == clean_summary["by_source"]["hansard_wms"]["loaded"]
        assert duplicates(con) == 0

    # 3. `whitehall quarantine retry --all`: archived bytes re-parsed; no bytes kept: fetched again
    third = quarantine_retry(source=None, ids=None)
    with run.read() as con:
        assert_reconciles(con, third["run_id"])
        states = items_by_state(con, third["run_id"])
        for case in cases:
            if case["state"] == "quarantined":
                expected = "loaded" if case["recovery"] == "retry" else "quarantined"
                assert states[case["item"]][0] == expected, (case["name"], states[case["item"]])
                observed[case["name"]].append(f"retry: {expected}")
        attempts = dict(con.execute("SELECT item_id, attempts FROM quarantine WHERE resolved_at IS NULL").fetchall())
        assert attempts and set(attempts.values()) == {2}

    # 4. `whitehall quarantine retry --all --refetch`: everything now parses and is resolved
    fourth = quarantine_retry(refetch=True)
    with run.read() as con:
        assert_reconciles(con, fourth["run_id"])
        assert con.execute("SELECT count(*) FROM quarantine WHERE resolved_at IS NULL").fetchone()[0] == 0
        assert fourth["totals"]["loaded"] == sum(c["recovery"] == "refetch" for c in cases)
        for case in cases:
            if case["recovery"] == "refetch":
                observed[case["name"]].append("retry --refetch: loaded")

    # 5. a rescan of the slice replaces what was neutralised with what the source now serves
    fifth = nightly(since=START)
    with run.read() as con:
        assert_reconciles(con, fifth["run_id"])
        states = items_by_state(con, fifth["run_id"])
        for case in cases:
            if case["recovery"] == "rescan":
                assert states[case["item"]][0] == "loaded", case["name"]
                observed[case["name"]].append("rescan: reloaded")
        assert duplicates(con) == 0
        with clean.read() as reference:
            assert lost(con, reference) == 0
        missing = [sha for (sha,) in con.execute("SELECT raw_sha256 FROM documents").fetchall()
                   if not run.runtime().archive.has(sha)]
        assert not missing  # every document names the archived bytes it was parsed from
    assert run.current_checksum() == clean.current_checksum()
    assert run.current_checksum(published=True) == clean.current_checksum(published=True)
    print("\n".join(f"{name}: {' -> '.join(steps)}" for name, steps in observed.items()))


def _check_neutralised(con: duckdb.DuckDBPyConnection, cases: list[dict]) -> None:
    by_name = {c["name"]: c for c in cases}

    def document(name: str) -> tuple[str, str, dict]:
        item = by_name[name]["item"]
        doc_id, title, meta = con.execute(
            "SELECT document_id, title, meta FROM documents WHERE document_id = (SELECT any_value(document_id)"
            " FROM run_items WHERE item_id = ? AND document_id IS NOT NULL)", [item]).fetchone()
        return doc_id, title, json.loads(meta)

    def texts(document_id: str) -> list[str]:
        return [r[0] for r in con.execute("SELECT text FROM passages WHERE document_id = ? ORDER BY seq",
                                          [document_id]).fetchall()]

    doc_id, _, meta = document("cp1252 declared as UTF-8")
    assert texts(doc_id)[0].startswith("Café society and ‘quoted’ words — ")
    assert meta["encoding_repaired"] == ["declared UTF-8 but was Windows-1252: transcoded"]
    doc_id, _, meta = document("absurdly long passage (300,000 chars)")
    parts = [t for t in texts(doc_id) if "reviewed the advice" in t or t.startswith("xxxx")]
    assert len(parts) >= 30 and max(len(t) for t in texts(doc_id)) <= 10_000
    assert sum(len(t) for t in parts) >= 299_000  # split, not truncated
    assert meta["neutralised"]["split_passages"] == 1
    doc_id, _, _ = document("HTML with script and style")
    assert not any(s in t for t in texts(doc_id) for s in ("alert(", "document.cookie", "display: none", ".x{}"))
    doc_id, title, _ = document("control characters, NUL, lone surrogate")
    assert title == "Speech with [31mred[0m and a lone \ufffd surrogate [bold]markup[/bold]"
    first_text = texts(doc_id)[0]  # the HTML parser turns NUL into U+FFFD; the bell is dropped
    assert first_text.startswith("\ufffdNullbell \ufffd ") and not any(c in first_text for c in "\x00\x07")
    doc_id, _, meta = document("cp1252 JSON")
    assert texts(doc_id)[0].startswith("Café ‘quoted’ ") and meta["encoding_repaired"]
    twin = by_name["the same speech on GOV.UK and in Hansard"]
    doc_id, _, _ = document(twin["name"])
    assert texts(doc_id) == twin["twin_of"]
    links = con.execute("SELECT linked_source, shared_passages FROM v_cross_source_duplicates"
                        " WHERE document_id = ?", [doc_id]).fetchall()
    assert links == [("hansard", len(twin["twin_of"]))]
    passages = con.execute("SELECT count(DISTINCT source) FROM passages WHERE text = ?", [twin["twin_of"][0]])
    assert passages.fetchone()[0] == 2  # kept in both sources, never merged
    assert not con.execute("SELECT count(*) FROM passages WHERE text LIKE '%root:%:0:0:%'").fetchone()[0]


def _check_quarantine_rows(con: duckdb.DuckDBPyConnection, cases: list[dict]) -> None:
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT item_id, stage, raw_sha256, error FROM quarantine WHERE resolved_at IS NULL").fetchall()}
    quarantined = [c for c in cases if c["state"] == "quarantined"]
    assert set(rows) == {c["item"] for c in quarantined}, {k: v for k, v in rows.items() if k not in {c["item"] for c in quarantined}}
    for case in quarantined:
        stage, sha, error = rows[case["item"]]
        if case["recovery"] == "retry":
            assert stage == "fetch" and sha is None, case["name"]
        else:
            assert stage == "parse" and sha, case["name"]  # its raw bytes are kept for a retry
