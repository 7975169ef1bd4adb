"""The cascade: the prefilter first, the trained model only for what the prefilter keeps.

Passages the prefilter drops are decided not relevant, with the prefilter's probability as
p_relevant, P(frame | relevant) = 0 and no evidence. Every prediction, kept or dropped, carries
one model version that names both stages (`<model>+pf-<hash>`), so the warehouse's current-model
views read them together.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from classifiers.base import Classifier, PassageInput, Prediction
from classifiers.codebook import FRAMES
from classifiers.prefilter import Prefilter


def cascade_version(model_version: str, prefilter_version: str) -> str:
    return f"{model_version}+{prefilter_version}"


class CascadeClassifier:
    """A Classifier: prefilter → model. The prefilter is loaded on first use, like the model."""

    def __init__(self, model: Classifier, prefilter: Prefilter | None = None, *,
                 prefilter_version: str | None = None, prefilter_loader=Prefilter.load) -> None:
        self.model = model
        self._prefilter = prefilter
        self._loader = prefilter_loader
        self.prefilter_version = prefilter_version or (prefilter.version if prefilter else "pf-unknown")
        self.model_version = cascade_version(model.model_version, self.prefilter_version)
        self.codebook_version = model.codebook_version
        self.kept = 0
        self.dropped = 0

    @property
    def prefilter(self) -> Prefilter:
        if self._prefilter is None:
            self._prefilter = self._loader()
            if self._prefilter.version != self.prefilter_version:
                raise ValueError(f"prefilter is {self._prefilter.version}, its card said {self.prefilter_version}")
        return self._prefilter

    def load(self):
        """The inner trained model (for evaluation)."""
        return self.model.load()

    def predict(self, items: Sequence[PassageInput]) -> list[Prediction]:
        if not items:
            return []
        p, keep = self.prefilter.keep([i.text for i in items])
        kept = [i for i, k in enumerate(keep) if k]
        out: list[Prediction | None] = [None] * len(items)
        if kept:
            for index, prediction in zip(kept, self.model.predict([items[i] for i in kept])):
                out[index] = replace(prediction, model_version=self.model_version)
        for index in (i for i, k in enumerate(keep) if not k):
            out[index] = Prediction(
                relevant=False, p_relevant=float(p[index]), frames={f: 0.0 for f in FRAMES}, labels=[],
                explicit_trait_vocabulary=False, evidence={}, model_version=self.model_version,
                codebook_version=self.codebook_version)
        self.kept += len(kept)
        self.dropped += len(items) - len(kept)
        return out  # type: ignore[return-value]
