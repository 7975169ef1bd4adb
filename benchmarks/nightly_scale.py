"""The nightly's cost against warehouse size: a run with 0, 100 and 10,000 new items over the
sample warehouse, and over the same warehouse grown by 1M synthetic passages. The ratio
(big / small) shows what grows with the warehouse; the no-op's seconds are a bound.

New items are new Commons sittings (two speeches each) added to the replayed archive after
the watermark. Runs label with the keyword baseline: this measures everything but the encoder,
whose cost is per new passage by construction (classification throughput measures it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks.common import save_section, timed
from benchmarks.synthetic_warehouse import generate
from benchmarks.workloads import sample_archive, sample_passages
from extractors.archive import RawArchive
from extractors.http import canonical_url
from extractors.parlparse import BASE_URL

FETCHED = "2027-01-01T00:00:00+00:00"


def _sitting(day: date, texts: list[str]) -> bytes:
    lines = ['<publicwhip scraperversion="d" latest="yes">',
             f'  <major-heading id="uk.org.publicwhip/debate/{day}a.1.0" nospeaker="true">Business</major-heading>']
    for n, text in enumerate(texts, 1):
        gid = f"uk.org.publicwhip/debate/{day}a.1.{n}"
        lines.append(f'  <speech id="{gid}" speakername="A Member" person_id="uk.org.publicwhip/person/9{n:05d}">'
                     f'<p pid="a1.{n}/1">{escape(text)}</p></speech>')
    lines.append("</publicwhip>")
    return "\n".join(lines).encode()


def add_new_sittings(archive_dir: Path, count: int, first_day: date, texts: list[str], start_stamp: int) -> int:
    """Record `count` new Commons sittings after everything in the archive; return the next stamp."""
    archive = RawArchive(archive_dir)
    listing_url = canonical_url(f"{BASE_URL}/debates/changedates.txt")
    listing = archive.read(archive.latest(listing_url).sha256)
    rows = []
    for i in range(count):
        day = first_day + timedelta(days=i)
        name = f"debates{day.isoformat()}a.xml"
        body = _sitting(day, [texts[(2 * i) % len(texts)], texts[(2 * i + 1) % len(texts)]])
        archive.record(canonical_url(f"{BASE_URL}/debates/{name}"), body, fetched_at=FETCHED, source="hansard")
        rows.append(f"{start_stamp + i},{name}\n")
    archive.record(listing_url, listing + "".join(rows).encode(), fetched_at=FETCHED, source="hansard")
    archive.close()
    return start_stamp + count


def _nightly(data_dir: Path, since: date | None = None) -> dict:
    from flows.nightly import nightly

    os.environ["WHITEHALL_DATA_DIR"] = str(data_dir)
    return nightly(transport="replay", since=since)


def run(scale: dict) -> None:
    from prefect.testing.utilities import prefect_test_harness

    os.environ["WHITEHALL_BASELINE"] = "true"
    os.environ.pop("WHITEHALL_DB", None)
    os.environ.pop("WHITEHALL_ARCHIVE_DIR", None)
    root = Path(tempfile.mkdtemp(prefix="bench-nightly-"))
    small, big = root / "small", root / "big"
    shutil.copytree(sample_archive(), small / "archive")
    texts = [t.text for t in sample_passages()]
    results: dict = {"big_extra_passages": scale["nightly_big"]}
    with prefect_test_harness(server_startup_timeout=300):
        first = _nightly(small, since=date(2016, 1, 1))
        results["base_passages_loaded"] = first["passages_loaded"]
        shutil.copytree(small, big)
        from classifiers.keywords import KeywordClassifier
        from warehouse.db import open_db
        from warehouse.publish import publish
        from warehouse import search_index
        from warehouse.trends.refresh import refresh_trends

        work = big / ".work" / "whitehall.duckdb"
        results["generate_s"] = round(timed(lambda: generate(work, scale["nightly_big"], texts,
                                                              model=KeywordClassifier().model_version))[0], 1)
        con = open_db(work)  # settle trends and search index, as the nightly that loaded them would have
        results["settle_refresh_s"] = round(timed(lambda: refresh_trends(con))[0], 1)
        results["settle_search_index_s"] = round(timed(lambda: search_index.upkeep(con, big / "search"))[0], 1)
        con.close()

        publish(big / ".work" / "whitehall.duckdb", big / "whitehall.duckdb")
        results["big_file_mib"] = round((big / "whitehall.duckdb").stat().st_size / 2 ** 20, 1)
        results["small_file_mib"] = round((small / "whitehall.duckdb").stat().st_size / 2 ** 20, 1)
        stamp, day = 1_900_000_000, date(2027, 1, 1)
        for new in scale["nightly_new"]:
            row = {}
            for name, folder in (("small", small), ("big", big)):
                if new:
                    add_new_sittings(folder / "archive", new, day, texts, stamp)
                summary = _nightly(folder)
                assert summary["totals"]["discovered"] == new, summary["totals"]
                assert summary["totals"]["loaded"] == new, summary["totals"]
                row[f"{name}_s"] = summary["seconds"]
                row[f"{name}_published"] = summary["published"]
                row[f"{name}_publish_s"] = summary["publish_seconds"]
                row[f"{name}_without_publish_s"] = round(summary["seconds"] - summary["publish_seconds"], 3)
            row["big_over_small"] = round(row["big_s"] / row["small_s"], 3)
            row["big_over_small_without_publish"] = round(row["big_without_publish_s"] / row["small_without_publish_s"], 3)
            results[f"new_{new}"] = row
            stamp, day = stamp + new, day + timedelta(days=new)
    results["noop_bound_s"] = 10.0
    results["noop_within_bound"] = results["new_0"]["big_s"] <= 10.0
    save_section("nightly_scale", results)
    shutil.rmtree(root, ignore_errors=True)
