"""Labelled data: real corpus passages (stored as locators + text hashes) and team-written passages.

Real labels live in `classifiers/data/real/labels.jsonl` without their text: each row names
the hearing file, line and chunk, and the sha256 of the text. The text is read back from
`../shared/corpora/` at training time and checked against the hash. Team-written passages
(`classifiers/data/written/*.jsonl`) carry their own text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from classifiers.base import PassageInput
from classifiers.codebook import EXPLICIT_FLAG, FRAMES
from extractors import inquiry

LABELS = ("relevant", *FRAMES, EXPLICIT_FLAG)


class CorpusMissingError(FileNotFoundError):
    """The real corpus folder is not where the labels say."""


def data_dir() -> Path:
    return Path(str(resources.files("classifiers").joinpath("data")))


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class LabelledSet:
    """Passages with their gold labels, as arrays a model can fit."""

    ids: list[str]
    items: list[PassageInput]
    y: np.ndarray  # (n, len(LABELS)) of 0/1: relevant, the 7 frames, explicit
    split: list[str]
    origin: list[str]  # "real" | "written"
    meta: list[dict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, mask) -> "LabelledSet":
        index = np.flatnonzero(np.asarray(mask))
        return LabelledSet([self.ids[i] for i in index], [self.items[i] for i in index], self.y[index],
                           [self.split[i] for i in index], [self.origin[i] for i in index],
                           [self.meta[i] for i in index] if self.meta else [])

    def where(self, *, split: str | None = None, origin: str | None = None) -> "LabelledSet":
        return self.subset([(split is None or s == split) and (origin is None or o == origin)
                            for s, o in zip(self.split, self.origin)])

    def __add__(self, other: "LabelledSet") -> "LabelledSet":
        return LabelledSet(self.ids + other.ids, self.items + other.items, np.vstack([self.y, other.y]),
                           self.split + other.split, self.origin + other.origin, self.meta + other.meta)

    @property
    def fingerprint(self) -> str:
        """A hash of ids, texts and labels: the training-data hash of the model card."""
        h = hashlib.sha256()
        for i, item, row in zip(self.ids, self.items, self.y):
            h.update(f"{i}\x1f{item.text}\x1f{item.context}\x1f{''.join(map(str, row.astype(int)))}\n".encode())
        return h.hexdigest()


def label_row(relevant: bool, frames: list[str], explicit: bool) -> list[int]:
    unknown = set(frames) - set(FRAMES)
    if unknown:
        raise ValueError(f"labels not in the codebook: {sorted(unknown)}")
    if not relevant and (frames or explicit):
        raise ValueError("an irrelevant passage cannot carry frames or the explicit flag")
    return [int(relevant), *(int(f in frames) for f in FRAMES), int(explicit)]


@lru_cache(maxsize=64)
def _day_passages(corpus_dir: str, file_name: str) -> dict[str, tuple[str, str]]:
    path = Path(corpus_dir) / file_name
    doc = inquiry.parse(path.read_bytes(), file_name)
    return {p.locator: (p.text, p.context) for p in doc.passages}


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_real(corpus_dir: Path, path: Path | None = None) -> LabelledSet:
    """Real labelled passages, with text read from the corpus and checked against its hash."""
    path = path or data_dir() / "real" / "labels.jsonl"
    if not Path(corpus_dir).is_dir():
        raise CorpusMissingError(f"the real corpus is not at {corpus_dir}")
    ids, items, ys, splits, meta = [], [], [], [], []
    for row in read_jsonl(path):
        passages = _day_passages(str(corpus_dir), row["file"])
        locator = f"{row['file']}:{row['line']}:{row['chunk']}"
        if locator not in passages:
            raise ValueError(f"{locator}: no such passage in the corpus (has it changed?)")
        text, context = passages[locator]
        if text_sha(text) != row["text_sha256"]:
            raise ValueError(f"{locator}: the corpus text no longer matches the labelled text's hash")
        ids.append(row["pid"])
        items.append(PassageInput(text, context))
        ys.append(label_row(row["relevant"], row["frames"], row["explicit"]))
        splits.append(row["split"])
        meta.append({k: row.get(k) for k in ("sampling", "p_inclusion", "day", "annotators", "speaker_role")})
    return LabelledSet(ids, items, np.array(ys, dtype=np.int8).reshape(-1, len(LABELS)), splits,
                       ["real"] * len(ids), meta)


def load_written(folder: Path | None = None) -> LabelledSet:
    """Team-written passages (they carry their own text and split)."""
    folder = folder or data_dir() / "written"
    ids, items, ys, splits, meta = [], [], [], [], []
    for path in sorted(folder.glob("*.jsonl")):
        for row in read_jsonl(path):
            ids.append(row["id"])
            items.append(PassageInput(row["text"], row.get("context") or ""))
            ys.append(label_row(row["relevant"], row["frames"], row["explicit_trait_vocabulary"]))
            splits.append(row["split"])
            meta.append({k: row.get(k) for k in ("register", "hard_case", "date", "speaker_role", "party")})
    return LabelledSet(ids, items, np.array(ys, dtype=np.int8).reshape(-1, len(LABELS)), splits,
                       ["written"] * len(ids), meta)
