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
        relevant, frames, evidence = self._read(text)
        return relevant, frames, "explicit_trait_vocabulary" in evidence

    def _read(self, text: str) -> tuple[bool, list[str], dict[str, str]]:
        """(relevant, frames, evidence): the evidence of a label is the first bank sentence behind it."""
        evidence: dict[str, str] = {}
        for frame in FRAMES:
            match = _matcher(frame).search(text)
            if match:
                evidence[frame] = match.group(0)
        for trait, pattern in _explicit():
            match = pattern.search(text)
            if match:
                evidence.setdefault(trait, match.group(0))
                evidence.setdefault("explicit_trait_vocabulary", match.group(0))
        frames = [f for f in FRAMES if f in evidence]
        relevant = bool(frames) or bool(_matcher("neutral").search(text))
        return relevant, frames, evidence

    def predict(self, items: Sequence[PassageInput]) -> list[Prediction]:
        out = []
        for item in items:
            relevant, frames, evidence = self._read(item.text)
            explicit = "explicit_trait_vocabulary" in evidence
            out.append(Prediction(
                relevant=relevant, p_relevant=float(relevant),
                frames={f: float(f in frames) for f in FRAMES}, labels=frames,
                explicit_trait_vocabulary=explicit, evidence=evidence, model_version=self.model_version,
                codebook_version=self.codebook_version, p_explicit=float(explicit),
            ))
        return out
