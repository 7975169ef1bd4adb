"""Building the real labelled set: reconcile annotators, then split by hearing day.

Input is `classifiers/data/real/annotations.jsonl` (one row per annotator per passage, no
text) and the sampling record `classifiers/data/real/sampling.jsonl` (how each passage came
into the pool). Output is `labels.jsonl`: one reconciled row per passage with its locator,
text hash, split and sampling. Run `python -m classifiers.real_labels CORPUS_DIR`.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

import numpy as np

from classifiers.agreement import majority
from classifiers.codebook import FRAMES
from classifiers.labelled import data_dir, read_jsonl, text_sha
from classifiers.sampling import corpus_passages

TEST_MIN_PASSAGES = 600
TEST_MIN_POSITIVES = 15
TEST_MIN_IRRELEVANT = 0.30
DEV_MIN_POSITIVES = 8


def reconcile(annotations: list[dict]) -> dict[str, dict]:
    """One label set per passage: a single annotator's labels, or the majority of three or more.

    Two annotators who disagree need a third (see ANNOTATION_GUIDE.md); a unit left with an
    even split is an error, not a silent choice.
    """
    by_unit: dict[str, list[dict]] = defaultdict(list)
    for a in annotations:
        by_unit[a["pid"]].append(a)
    out = {}
    for pid, rows in by_unit.items():
        keys = {(r["relevant"], tuple(sorted(r["frames"])), r["explicit"]) for r in rows}
        if len(rows) == 2 and len(keys) > 1:
            raise ValueError(f"{pid}: two annotators disagree and no third annotation reconciles them")
        label = majority(rows) if len(rows) > 1 else {k: rows[0][k] for k in ("relevant", "frames", "explicit")}
        out[pid] = label | {"annotators": sorted(r["annotator"] for r in rows)}
    return out


def _day_table(rows: list[dict]) -> dict[str, np.ndarray]:
    """Per day: [passages, irrelevant, positives per frame]."""
    table: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(2 + len(FRAMES), dtype=int))
    for r in rows:
        t = table[r["day"]]
        t[0] += 1
        t[1] += not r["relevant"]
        for k, f in enumerate(FRAMES):
            t[2 + k] += f in r["frames"]
    return dict(table)


def choose_split_days(rows: list[dict], seed: int = 2026, tries: int = 20000) -> tuple[set[str], set[str]]:
    """Test and dev days: test meets the size, positive and irrelevant-share floors with the
    fewest passages; dev is the smallest further set with DEV_MIN_POSITIVES per frame."""
    table = _day_table(rows)
    days = sorted(table)
    rng = random.Random(seed)

    def ok(chosen: list[str], min_n: int, min_pos: int, min_irr: float) -> bool:
        total = sum(table[d] for d in chosen)
        return (total[0] >= min_n and (total[2:] >= min_pos).all()
                and total[1] >= min_irr * total[0])

    best_test, best_size = None, None
    for _ in range(tries):
        k = rng.randint(5, 14)
        chosen = rng.sample(days, k)
        if ok(chosen, TEST_MIN_PASSAGES, TEST_MIN_POSITIVES, TEST_MIN_IRRELEVANT):
            size = sum(table[d][0] for d in chosen)
            if best_size is None or size < best_size:
                best_test, best_size = sorted(chosen), size
    if best_test is None:
        raise ValueError("no set of hearing days gives a test split meeting the floors")
    rest = [d for d in days if d not in best_test]
    best_dev, best_dev_size = None, None
    for _ in range(tries):
        chosen = rng.sample(rest, rng.randint(3, min(12, len(rest) - 3)))
        if ok(chosen, 300, DEV_MIN_POSITIVES, 0.3):
            size = sum(table[d][0] for d in chosen)
            if best_dev_size is None or size < best_dev_size:
                best_dev, best_dev_size = sorted(chosen), size
    if best_dev is None:
        raise ValueError("no set of remaining days gives a dev split meeting the floors")
    return set(best_test), set(best_dev)


def build(corpus_dir: Path, folder: Path | None = None) -> dict:
    """Write labels.jsonl from annotations.jsonl and sampling.jsonl; return summary counts."""
    folder = folder or data_dir() / "real"
    annotations = read_jsonl(folder / "annotations.jsonl")
    sampling = {r["pid"]: r for r in read_jsonl(folder / "sampling.jsonl")}
    labels = reconcile(annotations)
    passages = {p.passage_id: p for p in corpus_passages(Path(corpus_dir))}
    rows = []
    for pid, label in sorted(labels.items()):
        passage = passages[pid]
        file_name, line, chunk = passage.locator.rsplit(":", 2)
        rows.append({
            "pid": pid, "file": file_name, "line": int(line), "chunk": int(chunk),
            "text_sha256": text_sha(passage.text), "day": passage.date.isoformat(),
            "speaker_role": passage.role, "sampling": sampling[pid]["sampling"],
            "p_inclusion": sampling[pid].get("p_inclusion"), **label,
        })
    test_days, dev_days = choose_split_days(rows)
    for r in rows:
        r["split"] = "test" if r["day"] in test_days else "dev" if r["day"] in dev_days else "train"
    with open(folder / "labels.jsonl", "w", encoding="utf-8") as handle:
        for r in rows:
            handle.write(json.dumps(r, sort_keys=True) + "\n")
    summary = {"passages": len(rows), "test_days": sorted(test_days), "dev_days": sorted(dev_days)}
    for split in ("train", "dev", "test"):
        part = [r for r in rows if r["split"] == split]
        summary[split] = {"passages": len(part), "irrelevant": sum(not r["relevant"] for r in part),
                          **{f: sum(f in r["frames"] for r in part) for f in FRAMES}}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus_dir", type=Path)
    print(json.dumps(build(parser.parse_args().corpus_dir), indent=1))


if __name__ == "__main__":
    main()
