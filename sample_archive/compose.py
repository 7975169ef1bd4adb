"""Compose invented passages from the sentence banks, with the labels they were written to carry."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

FRAMES = ("blob", "hero", "advice", "delivery", "candour", "understanding", "impartiality")
SLOTS = {
    "department": ("the Home Office", "the Department for Education", "the Treasury", "the Cabinet Office",
                   "the Department of Health", "the Ministry of Justice", "the Department for Transport",
                   "the Department for Work and Pensions", "the housing department", "Defra"),
    "official": ("the permanent secretary", "the Cabinet Secretary", "the director general",
                 "my private secretary", "the senior responsible owner", "the head of the policy unit",
                 "the principal private secretary", "the chief economist"),
    "minister": ("the Secretary of State", "the Minister", "the Chancellor", "the Prime Minister",
                 "the Home Secretary", "the Education Secretary", "the Paymaster General"),
    "policy": ("the rail franchising review", "the prison building programme", "the school funding formula",
               "the universal credit roll-out", "the border IT system", "the flood defence scheme",
               "the social care settlement", "the planning reforms", "the apprenticeship levy",
               "the court backlog plan", "the net zero strategy", "the bus service improvement plan"),
    "place": ("Carlisle", "Stoke", "Truro", "Grimsby", "Wrexham", "Dundee", "Barnsley", "Hastings",
              "Kettering", "Bangor", "Penrith", "Swindon"),
}
_SLOT = re.compile(r"\{(\w+)\}")
AS_OF = "2026-10-01T00:00:00+00:00"  # when the sample archive's listings were "fetched"


@dataclass(frozen=True)
class Composed:
    text: str
    relevant: bool
    frames: tuple[str, ...] = ()
    explicit: bool = False
    tags: dict = field(default_factory=dict, compare=False)


@lru_cache(maxsize=None)
def bank(name: str) -> tuple[str, ...]:
    """One bank of sentences (sample_archive/banks/NAME.txt); blank lines and # comments skipped."""
    text = resources.files("sample_archive").joinpath(f"banks/{name}.txt").read_text("utf-8")
    lines = tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
    if not lines:
        raise ValueError(f"sentence bank {name!r} is empty")
    return lines


def fill(template: str, rng: random.Random) -> str:
    return _SLOT.sub(lambda m: rng.choice(SLOTS[m.group(1)]), template)


def _sentence(name: str, rng: random.Random) -> str:
    return fill(rng.choice(bank(name)), rng)


def compose_relevant(rng: random.Random, shares: dict[str, float]) -> Composed:
    """A passage about the civil service, carrying each frame with its quarter's probability."""
    frames = [f for f in FRAMES if rng.random() < shares[f]]
    explicit = rng.random() < shares.get("explicit_trait_vocabulary", 0.0)
    sentences: list[str] = []
    covered: set[str] = set()
    if explicit:
        trait, sentence = rng.choice(bank("explicit")).split("|", 1)
        trait = trait.strip()
        sentences.append(fill(sentence.strip(), rng))
        covered.add(trait)
        if trait not in frames:
            frames.append(trait)
    sentences.extend(_sentence(f, rng) for f in frames if f not in covered)
    if not frames:
        sentences.append(_sentence("neutral", rng))
    rng.shuffle(sentences)
    if rng.random() < 0.35:
        sentences.insert(0, _sentence("opener", rng))
    ordered = tuple(f for f in FRAMES if f in frames)
    return Composed(" ".join(sentences), True, ordered, explicit)


def compose_irrelevant(rng: random.Random) -> Composed:
    """Ordinary parliamentary business, now and then with a hard negative (NHS heroes, pay alone)."""
    count = rng.choice((1, 2, 2, 3))
    sentences = [_sentence("ordinary", rng) for _ in range(count)]
    if rng.random() < 0.15:
        sentences.insert(rng.randrange(len(sentences) + 1), _sentence("hardneg", rng))
    return Composed(" ".join(sentences), False)


def truth_row(source: str, item: str, index: int, day, composed: Composed) -> dict:
    """The label record of one composed passage: the `index`-th passage that `item` parses to."""
    return {"source": source, "item": item, "index": index, "date": day.isoformat(),
            "relevant": composed.relevant, "frames": list(composed.frames), "explicit": composed.explicit}
