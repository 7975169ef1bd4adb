"""The classifier interface that the keyword baseline and the trained model both implement."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

from classifiers.codebook import EXPLICIT_FLAG, FRAMES


@dataclass(frozen=True)
class PassageInput:
    """What a classifier reads: the passage and the one or two sentences before it."""

    text: str
    context: str = ""


@dataclass
class Prediction:
    """The labels of one passage, in the classify-output shape of CONTRACTS.md."""

    relevant: bool
    p_relevant: float
    frames: dict[str, float]
    labels: list[str]
    explicit_trait_vocabulary: bool
    evidence: dict[str, str]
    model_version: str
    codebook_version: str
    p_explicit: float = 0.0
    vector: object | None = field(default=None, repr=False)  # the passage embedding, if any

    def to_record(self, item_id: object) -> dict:
        return {
            "id": item_id,
            "relevant": self.relevant,
            "p_relevant": round(float(self.p_relevant), 6),
            "frames": {f: round(float(self.frames[f]), 6) for f in FRAMES},
            "labels": list(self.labels),
            EXPLICIT_FLAG: self.explicit_trait_vocabulary,
            "evidence": dict(self.evidence),
            "model_version": self.model_version,
            "codebook_version": self.codebook_version,
        }


class Classifier(Protocol):
    """Labels passages by the codebook; every prediction names the model and codebook version."""

    model_version: str
    codebook_version: str

    def predict(self, items: Sequence[PassageInput]) -> list[Prediction]: ...
