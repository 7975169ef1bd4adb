"""Which classifier labels the warehouse: the shipped trained model, or the keyword baseline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from classifiers.base import Classifier
from classifiers.keywords import KeywordClassifier


class ModelUnavailableError(RuntimeError):
    """The configured model is missing or corrupt: nothing may be loaded unlabelled."""


@dataclass
class LoadedClassifier:
    classifier: Classifier
    kind: str  # "keywords" | "trained"
    card: dict


def load_classifier(model_dir: Path | None = None, *, baseline: bool = False,
                    cache_path: Path | None = None) -> LoadedClassifier:
    """The keyword baseline when asked for; otherwise the trained model in `model_dir`."""
    if baseline or model_dir is None:
        keywords = KeywordClassifier()
        return LoadedClassifier(keywords, "keywords", {"model_version": keywords.model_version,
                                                       "codebook_version": keywords.codebook_version,
                                                       "kind": "keywords"})
    raise ModelUnavailableError(f"no trained model at {model_dir}")
