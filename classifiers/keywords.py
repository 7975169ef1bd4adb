"""The keyword baseline: cue phrases from the codebook, counted. The bar the real model must beat.

A passage is relevant when it names the civil service or its parts (a relevance cue); a frame
is positive when a relevant passage contains one of that frame's cue phrases. Probabilities
are a simple monotone function of the cue count, not calibrated. Evidence is the sentence
holding the first cue.
"""

from __future__ import annotations

import re
from typing import Sequence

from classifiers.base import PassageInput, Prediction
from classifiers.codebook import CODEBOOK, Codebook
from classifiers.explicit import find_explicit
from extractors.passage import split_sentences

MODEL_VERSION = "keywords-1"


def _pattern(cues: Sequence[str]) -> re.Pattern:
    alternatives = sorted((re.escape(c) for c in cues), key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


def _probability(hits: int) -> float:
    return hits / (hits + 1.0)


class KeywordClassifier:
    """Cue-phrase counting over the codebook."""

    def __init__(self, codebook: Codebook = CODEBOOK) -> None:
        self.codebook = codebook
        self.codebook_version = codebook.version
        self.model_version = f"{MODEL_VERSION}+{codebook.version}"
        self._relevance = _pattern(codebook.relevance_cues)
        self._frames = {f.key: _pattern(f.cues) for f in codebook.frames}

    def predict(self, items: Sequence[PassageInput]) -> list[Prediction]:
        return [self._predict_one(item.text) for item in items]

    def _predict_one(self, text: str) -> Prediction:
        relevance_hits = self._relevance.findall(text)
        p_relevant = _probability(len(relevance_hits))
        relevant = bool(relevance_hits)
        frames: dict[str, float] = dict.fromkeys(self._frames, 0.0)
        labels: list[str] = []
        evidence: dict[str, str] = {}
        sentences: list[str] | None = None
        for key, pattern in self._frames.items() if relevant else ():  # frame cues only count when relevant
            hits = pattern.findall(text)
            frames[key] = _probability(len(hits))
            if hits:
                labels.append(key)
                sentences = sentences or split_sentences(text) or [text]
                evidence[key] = next((s for s in sentences if pattern.search(s)), text)
        explicit = find_explicit(text) if relevant else []
        if explicit:
            evidence["explicit_trait_vocabulary"] = explicit[0].span
        return Prediction(
            relevant=relevant,
            p_relevant=p_relevant,
            frames=frames,
            labels=labels,
            explicit_trait_vocabulary=bool(explicit),
            evidence=evidence,
            model_version=self.model_version,
            codebook_version=self.codebook_version,
            p_explicit=1.0 if explicit else 0.0,
        )
