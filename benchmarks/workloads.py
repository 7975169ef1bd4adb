"""The texts the benchmarks run on: sample-archive passages with their truth, the real corpus,
and a realistic mostly-irrelevant mix of both. Built once and kept under benchmarks/out/."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from classifiers.base import PassageInput

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "covid-inquiry-module-2"


@dataclass(frozen=True)
class Text:
    id: str
    text: str
    context: str
    relevant: bool | None  # None where no truth is known
    origin: str

    def item(self) -> PassageInput:
        return PassageInput(self.text, self.context)


def sample_archive(folder: Path | None = None) -> Path:
    """The synthetic sample archive (built once under benchmarks/out/)."""
    from sample_archive.generate import build

    folder = folder or OUT / "archive"
    if not (folder / "truth.jsonl").exists():
        build(folder)
    return folder


def sample_passages(archive: Path | None = None) -> list[Text]:
    """Every passage the sample archive parses to, with the relevance it was written to carry."""
    cache = OUT / "sample_passages.jsonl"
    if cache.exists():
        return [Text(**json.loads(line)) for line in cache.read_text("utf-8").splitlines()]
    from extractors.acquire import acquire
    from extractors.archive import RawArchive
    from extractors.http import HttpClient
    from extractors.registry import build_extractors

    archive = sample_archive(archive)
    truth: dict[tuple[str, str], dict[int, bool]] = defaultdict(dict)
    for line in (archive / "truth.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        truth[(row["source"], row["item"])][row["index"]] = row["relevant"]
    store = RawArchive(archive)
    client = HttpClient.replay(store)
    texts: list[Text] = []
    for source, extractor in build_extractors(sorted({s for s, _ in truth})).items():
        for ref in extractor.discover(client, None):
            outcome = acquire(extractor, client, ref)
            if outcome.state != "parsed":
                continue
            known = truth.get((source, ref.item_id), {})
            for index, p in enumerate(outcome.document.passages):
                texts.append(Text(p.passage_id, p.text, p.context or "", known.get(index), f"sample:{source}"))
    client.close()
    store.close()
    OUT.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(t.__dict__) + "\n" for t in texts), "utf-8")
    return texts


def labelled_texts(corpus: Path = CORPUS) -> list[tuple[Text, str]]:
    """The classifier's labelled passages (real and written) with their split."""
    from classifiers.train import load_all

    data = load_all(corpus)
    return [(Text(i, item.text, item.context, bool(y[0]), origin), split)
            for i, item, y, split, origin in zip(data.ids, data.items, data.y, data.split, data.origin)]


def realistic_mix(n: int, irrelevant_share: float = 0.9, seed: int = 7, real: bool = True) -> list[Text]:
    """n passages, `irrelevant_share` of them truly irrelevant, drawn from the sample archive
    and the real corpus (half each); real passages come from the dev and test splits first,
    then train, because the prefilter was fitted on train."""
    rng = random.Random(seed)
    sample = [t for t in sample_passages() if t.relevant is not None]
    real = [(t, s) for t, s in labelled_texts() if t.origin == "real"] if real else []
    real.sort(key=lambda ts: ts[1] == "train")  # dev/test first
    pools = {}
    for relevant in (True, False):
        s = [t for t in sample if t.relevant is relevant]
        r = [t for t, _ in real if t.relevant is relevant]
        rng.shuffle(s)
        pools[relevant] = (s, r)
    chosen: list[Text] = []
    for relevant, count in ((False, round(n * irrelevant_share)), (True, n - round(n * irrelevant_share))):
        s, r = pools[relevant]
        half = count // 2
        chosen += s[:count - min(half, len(r))] + r[:min(half, len(r))]
    rng.shuffle(chosen)
    return [Text(f"m{i}", t.text, t.context, t.relevant, t.origin) for i, t in enumerate(chosen)]


def distinct_passages(n: int, seed: int = 11) -> list[Text]:
    """n distinct passages (sample archive and corpus), for cold-cache throughput runs."""
    rng = random.Random(seed)
    pool = [t for t in sample_passages()] + [t for t, _ in labelled_texts()]
    seen, out = set(), []
    rng.shuffle(pool)
    for t in pool:
        if t.text not in seen:
            seen.add(t.text)
            out.append(t)
        if len(out) == n:
            break
    return out
