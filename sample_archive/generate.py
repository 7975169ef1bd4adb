"""Build the synthetic sample archive: invented documents in the sources' exact formats.

Deterministic: the same seed gives byte-identical files and the same archive index, on any
day (no clock is read). Usage: `python -m sample_archive.generate DIR` or `whitehall sample`.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from extractors.archive import RawArchive
from sample_archive import committees, govuk, hansard, inquiry, memoirs
from sample_archive.people import invent_people

SEED = 2026

# One writer per source family: write(archive, people, seed) -> truth rows. Each records its
# documents and listings in the archive exactly as the live source would serve them.
WRITERS = (
    hansard.write,
    govuk.write,
    memoirs.write,
    committees.write,
    inquiry.write,
)


def build(archive_dir: Path, seed: int = SEED) -> dict:
    """Write the sample archive into `archive_dir` (a raw archive) and return its statistics."""
    archive_dir = Path(archive_dir)
    archive = RawArchive(archive_dir)
    people = invent_people(seed)
    truth: list[dict] = []
    for writer in WRITERS:
        truth.extend(writer(archive, people, seed))
    with open(archive_dir / "truth.jsonl", "w", encoding="utf-8") as handle:
        for row in truth:
            handle.write(json.dumps(row, sort_keys=True) + "\n")
    (archive_dir / "SAMPLE.txt").write_text(
        "This archive is SYNTHETIC: every document was invented by the Whitehall Discourse\n"
        "sample generator (sample_archive/), in the real sources' formats. No real text.\n",
        encoding="utf-8",
    )
    stats = {"documents": len({(t["source"], t["item"]) for t in truth}), "passages": len(truth),
             "relevant": sum(t["relevant"] for t in truth),
             "by_source": dict(Counter(t["source"] for t in truth))}
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
