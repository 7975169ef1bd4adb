"""Property tests (hypothesis, derandomised so that a run is repeatable).

1. Every parser, given arbitrary bytes or a mutated real-format document, raises nothing but its
   documented error (ExtractorError: ParseError or SkipItem); and whatever it returns is storable
   once neutralised (every string encodes as UTF-8, with no control characters).
2. The loader: loading any sequence of batches, each at least once, repeated and in any order,
   gives the same final state as loading each once. The state compared is what the warehouse
   holds now: documents, passages, the current labels, watermarks and the open quarantine. (The
   label *history*, labels of texts since replaced, records what was loaded on the way, by design;
   and passage ids follow text across versions, so versions here keep each text at its locator.)
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifiers.keywords import KeywordClassifier
from extractors import committees, govuk, inquiry, library, ministers_reflect_page, parlparse
from extractors.acquire import Outcome
from extractors.base import ItemRef
from extractors.committees_models import make_bundle
from extractors.errors import ExtractorError
from extractors.library_epub import read_epub
from extractors.library_pdf import read_pdf
from extractors.neutralise import neutralise
from extractors.passage import Document, Passage
from extractors.xmlsafe import parse_xml
from tests.faults import books
from tests.faults.harness import current_checksum
from warehouse.db import open_db
from warehouse.ingest import SourceProgress, commit_batch, label_batch, plan_batch
from warehouse.ledger import RunLedger

PROPERTY = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _first(origin, pattern: str) -> bytes:
    entry = next(e for e in origin.entries() if e.status == 200 and pattern in e.url)
    return origin.read(entry.sha256)


@pytest.fixture(scope="module")
def seeds(origin) -> dict[str, bytes]:
    """One real-format document per parser, from the synthetic sample archive."""
    document = json.loads(_first(origin, "/Document/Html"))
    book = next(e for e in origin.entries() if e.url.endswith(".epub"))
    side = origin.latest(book.url.replace(".epub", ".meta.json"))
    return {
        "parlparse": _first(origin, "/debates/debates2026-0"),
        "govuk": _first(origin, "/api/content/government/speeches/"),
        "govuk_search": _first(origin, "filter_public_timestamp=from%3A2026-05"),
        "changedates": _first(origin, "/debates/changedates.txt"),
        "committees": make_bundle({"id": 1}, "https://committees-api.parliament.uk/x", document),
        "inquiry": _first(origin, ".rst"),
        "ministers_reflect": _first(origin, "/ministers-reflect/person/"),
        "library": library.bundle("memoirs/x.epub", origin.read(book.sha256), origin.read(side.sha256)),
        "epub": books.epub(),
        "pdf": books.pdf(2),
        "xml": _first(origin, "/wms/ministerial2026-0"),
    }


PARSERS = {
    "parlparse": lambda raw: parlparse.parse_sitting(raw, "debates2026-01-06a.xml"),
    "govuk": lambda raw: govuk.parse_content(raw, "/government/speeches/x"),
    "govuk_search": lambda raw: govuk.parse_search(raw, "search"),
    "changedates": lambda raw: parlparse.parse_changedates(raw.decode("utf-8", errors="replace")),
    "committees": lambda raw: committees.parse_bundle(raw, "bundle"),
    "inquiry": lambda raw: inquiry.parse(raw, "inquiry-2026-01-06.rst"),
    "ministers_reflect": lambda raw: ministers_reflect_page.parse_page(raw, "page"),
    "library": library.parse_book,
    "epub": lambda raw: read_epub(raw, "x.epub"),
    "pdf": lambda raw: read_pdf(raw, "x.pdf"),
    "xml": lambda raw: parse_xml(raw, "x.xml"),
}

_MUTATION = st.tuples(st.sampled_from(["delete", "insert", "flip", "repeat", "truncate"]),
                      st.floats(0, 1), st.binary(min_size=1, max_size=24))


def mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    out = bytearray(data)
    for op, where, junk in mutations:
        at = int(where * len(out))
        if op == "delete":
            del out[at:at + len(junk) * 4]
        elif op == "insert":
            out[at:at] = junk
        elif op == "flip" and out:
            out[min(at, len(out) - 1)] ^= junk[0] or 1
        elif op == "repeat":
            out[at:at] = out[at:at + len(junk) * 8]
        elif op == "truncate":
            del out[at:]
    return bytes(out)


def _storable(result: object) -> None:
    if not isinstance(result, Document):
        return
    doc = neutralise(result)
    for value in _strings(doc.model_dump(mode="json")):
        value.encode("utf-8")
        assert not any(ord(c) < 32 for c in value), value


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_parsers_raise_only_their_documented_error(name, seeds):
    parser, seed = PARSERS[name], seeds[name]
    _storable(parser(seed))  # the seed itself parses

    @PROPERTY
    @given(st.one_of(st.binary(max_size=3000), st.lists(_MUTATION, min_size=1, max_size=6).map(
        lambda m: mutate(seed, m))))
    def check(raw: bytes) -> None:
        try:
            result = parser(raw)
        except ExtractorError:
            return
        _storable(result)

    check()


# -- the loader ------------------------------------------------------------------------------

DAY = date(2026, 1, 6)
DOCS = ("d1", "d2", "d3")


def _document(doc: str, version: int) -> Document:
    """Version k of a document: each text stays at its locator; later versions revise and grow."""
    n = 2 + version
    passages = [Passage.build(source="hansard", source_type="debate", document_id=f"hansard:{doc}",
                              locator=f"{doc}:{i}", date=DAY + timedelta(days=DOCS.index(doc)),
                              text=(f"Paragraph {i} of {doc}: officials advised the minister"
                                    + (" candidly" if version > 1 and i == 0 else "") + "."))
                for i in range(n)]
    return Document(document_id=f"hansard:{doc}", source="hansard", source_type="debate", item_id=doc,
                    version=f"{version:03d}", date=passages[0].date, title=f"Sitting {doc}", passages=passages)


ITEMS = [(doc, version) for doc in DOCS for version in (1, 2)] + [("bad", 1), ("gone", 1)]


def _outcome(item: tuple[str, int]) -> Outcome:
    doc, version = item
    ref = ItemRef("hansard", f"{doc}@{version}", f"https://example.org/{doc}/{version}",
                  cursor=f"{version:03d}:{doc}")
    if doc == "bad":
        return Outcome(ref, "quarantined", raw_sha256="00" * 32, error="malformed XML", stage="parse")
    if doc == "gone":
        return Outcome(ref, "skipped", reason="gone")
    return Outcome(ref, "parsed", document=_document(doc, version), raw_sha256=f"{doc}{version}".ljust(64, "0"))


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    """Two migrated warehouses, emptied before each example (migrating costs more than a load)."""
    folder = tmp_path_factory.mktemp("loader-property")
    cons = [open_db(folder / f"{name}.duckdb") for name in ("once", "any-order")]
    yield cons
    for con in cons:
        con.close()


def _reset(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("documents", "passages", "labels", "run_items", "quarantine", "watermarks", "models"):
        con.execute(f"DELETE FROM {table}")


def _load(con: duckdb.DuckDBPyConnection, batches: list[list[tuple[str, int]]], order: list[int]) -> dict:
    classifier = KeywordClassifier()
    for run_id, index in enumerate(order, 1):
        ledger = RunLedger(run_id)
        plan = plan_batch(con, [_outcome(item) for item in batches[index]], classifier.model_version)
        predictions = label_batch(plan, classifier)
        progress = SourceProgress("hansard", con.execute(
            "SELECT any_value(cursor) FROM watermarks WHERE source = 'hansard'").fetchone()[0])
        commit_batch(con, ledger, progress, plan, predictions)
    state = current_checksum(con)
    state["open_quarantine"] = sorted(con.execute(
        "SELECT source, item_id FROM quarantine WHERE resolved_at IS NULL").fetchall())
    return state


@settings(PROPERTY, max_examples=15)
@given(st.data())
def test_loading_batches_repeated_in_any_order_equals_loading_each_once(warehouses, data):
    items = data.draw(st.permutations(ITEMS))
    cuts = sorted(data.draw(st.sets(st.integers(1, len(items) - 1), max_size=4)))
    batches = [items[a:b] for a, b in zip([0, *cuts], [*cuts, len(items)])]
    order = data.draw(st.lists(st.integers(0, len(batches) - 1), max_size=2 * len(batches)))
    order = data.draw(st.permutations(order + list(range(len(batches)))))  # each batch at least once
    once, any_order = warehouses
    _reset(once)
    _reset(any_order)
    expected = _load(once, batches, list(range(len(batches))))
    assert _load(any_order, batches, order) == expected
    assert expected["documents"][0] == len(DOCS) and expected["open_quarantine"] == [("hansard", "bad@1")]
