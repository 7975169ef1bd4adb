"""Build the synthetic sample archive: invented documents in the sources' exact formats.

Deterministic: the same seed gives byte-identical files and the same archive index, on any
day (no clock is read). Usage: `python -m sample_archive.generate DIR` or `whitehall sample`.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from extractors.archive import RawArchive
from extractors.http import canonical_url
from extractors.parlparse import BASE_URL, MEMBERS_URL
from sample_archive.hansard import PLAN, build_sittings, changedates
from sample_archive.parlparse_writer import file_name
from sample_archive.people import invent_people, ministers_json, people_json

SEED = 2026
AS_OF = "2026-10-01T00:00:00+00:00"


def _iso(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, tz=timezone.utc).isoformat()


def build(archive_dir: Path, seed: int = SEED) -> dict:
    """Write the sample archive into `archive_dir` (a raw archive) and return its statistics."""
    archive_dir = Path(archive_dir)
    archive = RawArchive(archive_dir)
    people = invent_people(seed)
    members = {"people.json": people_json(people), "ministers-2010.json": ministers_json(people),
               # the pre-2010 offices file: nobody invented here held office before 2010
               "ministers.json": b'{"memberships": [], "organizations": []}'}
    for name, data in members.items():
        archive.record(canonical_url(f"{MEMBERS_URL}/{name}"), data, fetched_at=AS_OF,
                       content_type="application/json", source="hansard")

    sittings = build_sittings(people, seed)
    truth: list[dict] = []
    for sitting in sittings:
        name = file_name(sitting.directory, sitting.day, sitting.version)
        source = "hansard_wms" if sitting.directory in ("wms", "lordswms") else "hansard"
        archive.record(canonical_url(f"{BASE_URL}/{sitting.directory}/{name}"), sitting.data,
                       fetched_at=_iso(sitting.changed_at), content_type="text/xml", source=source)
        for index, (_, composed) in enumerate(sitting.truth):
            truth.append({"file": name, "index": index, "date": sitting.day.isoformat(),
                          "relevant": composed.relevant, "frames": list(composed.frames),
                          "explicit": composed.explicit})
    for directory in PLAN:
        source = "hansard_wms" if directory in ("wms", "lordswms") else "hansard"
        archive.record(canonical_url(f"{BASE_URL}/{directory}/changedates.txt"),
                       changedates(sittings, directory), fetched_at=AS_OF,
                       content_type="text/plain", source=source)
    with open(archive_dir / "truth.jsonl", "w", encoding="utf-8") as handle:
        for row in truth:
            handle.write(json.dumps(row, sort_keys=True) + "\n")
    (archive_dir / "SAMPLE.txt").write_text(
        "This archive is SYNTHETIC: every document was invented by the Whitehall Discourse\n"
        "sample generator (sample_archive/), in the real sources' formats. No real text.\n",
        encoding="utf-8",
    )
    stats = {"documents": len(sittings), "passages": len(truth),
             "relevant": sum(t["relevant"] for t in truth),
             "by_directory": dict(Counter(s.directory for s in sittings))}
    archive.close()
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive_dir", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    print(json.dumps(build(args.archive_dir, args.seed), indent=1))


if __name__ == "__main__":
    main()
