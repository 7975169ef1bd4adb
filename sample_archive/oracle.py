"""A classifier that knows the sample archive's truth: it finds the bank sentences a synthetic
passage was composed from (sample_archive/banks/), so its labels are the ones the passage was
written to carry. For tests and demonstrations of the trend estimator on a known truth only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from classifiers.base import PassageInput, Prediction
from classifiers.codebook import CODEBOOK_VERSION
from sample_archive.compose import FRAMES, SLOTS, bank

MODEL_VERSION = "sample-oracle-1"
_SLOT = re.compile(r"\\\{(\w+)\\\}")


def _pattern(template: str) -> str:
    escaped = re.escape(template)
    return _SLOT.sub(lambda m: "(?:" + "|".join(re.escape(v) for v in SLOTS[m.group(1)]) + ")", escaped)


@lru_cache(maxsize=None)
def _matcher(name: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{_pattern(t)})" for t in bank(name)))


@lru_cache(maxsize=1)
def _explicit() -> list[tuple[str, re.Pattern]]:
    out = []
    for line in bank("explicit"):
        trait, sentence = line.split("|", 1)
        out.append((trait.strip(), re.compile(_pattern(sentence.strip()))))
    return out


class SampleOracle:
    """Labels synthetic passages by the bank sentences they contain (probabilities 0 or 1)."""

    model_version = MODEL_VERSION
    codebook_version = CODEBOOK_VERSION

    def label(self, text: str) -> tuple[bool, list[str], bool]:
        """(relevant, frames, explicit) of one passage."""
        frames = {f for f in FRAMES if _matcher(f).search(text)}
        explicit = [trait for trait, pattern in _explicit() if pattern.search(text)]
        frames.update(explicit)
        relevant = bool(frames) or bool(_matcher("neutral").search(text))
        return relevant, [f for f in FRAMES if f in frames], bool(explicit)

    def predict(self, items: Sequence[PassageInput]) -> list[Prediction]:
        out = []
        for item in items:
            relevant, frames, explicit = self.label(item.text)
            out.append(Prediction(
                relevant=relevant, p_relevant=float(relevant),
                frames={f: float(f in frames) for f in FRAMES}, labels=frames,
                explicit_trait_vocabulary=explicit, evidence={}, model_version=self.model_version,
                codebook_version=self.codebook_version, p_explicit=float(explicit),
            ))
        return out
