"""The annotation sample over the real corpus: an honest random slice plus mined candidates.

The population is every turn passage of at least `MIN_WORDS` words in the Covid Inquiry
Module 2 transcripts. A uniform random slice keeps the rates honest (its inclusion
probability is recorded); keyword and nearest-neighbour mining add candidates for the rare
frames. Every pooled passage records how it was sampled.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifiers.codebook import CODEBOOK, FRAMES
from classifiers.encoder import Encoder
from extractors import inquiry
from extractors.passage import Passage

MIN_WORDS = 20

# Our own paraphrases of the codebook, used as nearest-neighbour seeds for mining.
SEEDS: dict[str, tuple[str, ...]] = {
    "blob": (
        "Whitehall as a whole resisted everything the government wanted to do.",
        "The system simply did not want this to happen and ground it down.",
        "The civil service machine is an obstacle that protects itself.",
        "The bureaucracy was dysfunctional, a building full of people who could not deliver.",
    ),
    "hero": (
        "It only worked because one brilliant official took personal charge and fixed it.",
        "The Prime Minister's private office was superb, unlike the rest of the department.",
        "Everything depended on the personal relationship between the two of them.",
        "Getting rid of that one person was seen as the way to fix the problem.",
    ),
    "advice": (
        "The quality of the advice ministers received was poor and the options were too narrow.",
        "Officials did not bring enough outside expertise or radical options to the minister.",
        "The advice was risk-averse and formulaic rather than curious and challenging.",
    ),
    "delivery": (
        "The department could not turn the decision into results on the ground quickly enough.",
        "There were endless trackers and meetings but nothing actually got done.",
        "Officials were in survival mode, processing rather than delivering outcomes.",
    ),
    "candour": (
        "Officials did not tell ministers the plain truth or bad news.",
        "Nobody was willing to say no to the Prime Minister or admit the plan was failing.",
        "People agreed in the meeting and then went away and did something different.",
    ),
    "understanding": (
        "The officials did not grasp what the minister was actually trying to achieve.",
        "The department defended its own view and the status quo instead of the government's aims.",
        "Departments built their own fiefdoms and leaned back instead of leaning in.",
    ),
    "impartiality": (
        "Civil servants must serve any government impartially but be alert to the politics.",
        "Officials were naive about the political reality and afraid of anything political.",
        "Advice has to take account of the politics without becoming partisan.",
    ),
}


@dataclass(frozen=True)
class PoolEntry:
    """One passage chosen for annotation, and how it was chosen."""

    passage: Passage
    sampling: str
    p_inclusion: float | None = None


def corpus_passages(corpus_dir: Path) -> list[Passage]:
    """Every turn passage of every hearing day in the corpus folder."""
    passages: list[Passage] = []
    for path in sorted(corpus_dir.glob("*.rst")):
        passages.extend(inquiry.parse(path.read_bytes(), path.name).passages)
    return passages


def population(passages: list[Passage]) -> list[Passage]:
    """The passages eligible for annotation: turns of at least MIN_WORDS words."""
    return [p for p in passages if len(p.text.split()) >= MIN_WORDS]


def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


def build_pool(
    passages: list[Passage],
    encoder: Encoder,
    *,
    n_random: int = 1300,
    per_frame_keyword: int = 130,
    per_frame_semantic: int = 130,
    seed: int = 2026,
) -> list[PoolEntry]:
    """Draw the random slice, then mine keyword and neighbour candidates for every frame."""
    rng = random.Random(seed)
    pop = population(passages)
    chosen: dict[str, PoolEntry] = {}
    for p in rng.sample(pop, min(n_random, len(pop))):
        chosen[p.passage_id] = PoolEntry(p, "random", n_random / len(pop))

    relevance = _cue_pattern(CODEBOOK.relevance_cues)
    for frame in FRAMES:
        pattern = _cue_pattern(CODEBOOK.frame(frame).cues)
        hits = [p for p in pop if pattern.search(p.text) and relevance.search(p.text)]
        rng.shuffle(hits)
        taken = 0
        for p in hits:
            if taken >= per_frame_keyword:
                break
            if p.passage_id not in chosen:
                chosen[p.passage_id] = PoolEntry(p, f"keyword:{frame}")
                taken += 1

    vectors = encoder.encode([p.text for p in pop])
    for frame in FRAMES:
        centre = encoder.encode(list(SEEDS[frame]))
        scores = (vectors @ centre.T).max(axis=1)
        taken = 0
        for index in np.argsort(-scores):
            if taken >= per_frame_semantic:
                break
            p = pop[int(index)]
            if p.passage_id not in chosen:
                chosen[p.passage_id] = PoolEntry(p, f"neighbour:{frame}")
                taken += 1
    return list(chosen.values())


def day_of(passage: Passage) -> str:
    """The hearing day a corpus passage belongs to (the split unit)."""
    return passage.date.isoformat()


def counts_by_day(entries: list[PoolEntry]) -> dict[str, dict[str, int]]:
    """How many pooled passages each day holds, by sampling method family."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in entries:
        out[day_of(e.passage)][e.sampling.split(":")[0]] += 1
    return {d: dict(c) for d, c in sorted(out.items())}
