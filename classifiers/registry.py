"""Which classifier labels the warehouse: the shipped trained model, or the keyword baseline."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Sequence

from classifiers import artifacts
from classifiers.base import Classifier, PassageInput, Prediction
from classifiers.keywords import KeywordClassifier


class ModelUnavailableError(RuntimeError):
    """The configured model is missing or corrupt: nothing may be loaded unlabelled."""


def shipped_model_dir() -> Path:
    """The model committed with the project (classifiers/model/)."""
    return Path(str(resources.files("classifiers").joinpath("model")))


@dataclass
class LoadedClassifier:
    classifier: Classifier
    kind: str  # "keywords" | "trained"
    card: dict


class LazyTrainedClassifier:
    """The trained model, named by its card at once and loaded on the first prediction,
    so that a night with nothing new never pays for loading the encoder."""

    def __init__(self, folder: Path, card: dict, cache_path: Path | None = None, threads: int = 2,
                 quantize: bool = False) -> None:
        self.folder = folder
        self.card = card
        self.quantize = quantize
        self.model_version = card["model_version"] + ("+int8" if quantize else "")
        self.codebook_version = card["codebook_version"]
        self.cache_path = cache_path
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    def load(self):
        """Load the encoder and heads (verifying every file against the card's hashes)."""
        with self._lock:
            if self._model is None:
                from classifiers.cache import CachedEncoder, EmbeddingCache
                from classifiers.encoder import SentenceTransformerEncoder

                try:
                    artifacts.verify(self.folder, self.card)
                    encoder_dir = self.folder / artifacts.ENCODER_DIR
                    options = {"threads": self.threads, "quantize": self.quantize}
                    if encoder_dir.is_dir():
                        encoder = SentenceTransformerEncoder(encoder_dir, name=artifacts.TUNED_ENCODER_NAME, **options)
                    else:
                        encoder = SentenceTransformerEncoder(**options)
                    if self.cache_path is not None:
                        encoder = CachedEncoder(encoder, EmbeddingCache(self.cache_path))
                    self._model = artifacts.load(self.folder, encoder)
                    self._model.model_version = self.model_version
                except artifacts.ModelFileError as exc:
                    raise ModelUnavailableError(str(exc)) from exc
                except OSError as exc:
                    raise ModelUnavailableError(f"cannot load the model in {self.folder}: {exc}") from exc
            return self._model

    def predict(self, items: Sequence[PassageInput]) -> list[Prediction]:
        return self.load().predict(items)


def load_classifier(model_dir: Path | None = None, *, baseline: bool = False,
                    cache_path: Path | None = None, threads: int = 2,
                    prefilter: bool | Path = False, quantize: bool = False) -> LoadedClassifier:
    """The keyword baseline when asked for; otherwise the trained model (default: shipped),
    behind the prefilter cascade when `prefilter` is true (or a prefilter folder)."""
    if baseline:
        keywords = KeywordClassifier()
        return LoadedClassifier(keywords, "keywords", {"model_version": keywords.model_version,
                                                       "codebook_version": keywords.codebook_version,
                                                       "kind": "keywords"})
    folder = Path(model_dir) if model_dir else shipped_model_dir()
    try:
        card = artifacts.read_card(folder)
    except artifacts.ModelFileError as exc:
        raise ModelUnavailableError(
            f"{exc}. Train one with `whitehall train`, or set WHITEHALL_BASELINE=true to label "
            "with the keyword baseline") from exc
    missing = [key for key in ("model_version", "codebook_version") if key not in card]
    if missing:
        raise ModelUnavailableError(f"the model card in {folder} lacks {', '.join(missing)}: the model is "
                                    "incomplete. Train one with `whitehall train`")
    model = LazyTrainedClassifier(folder, card, cache_path, threads, quantize)
    if quantize:
        card = {**card, "model_version": model.model_version, "quantized": "int8 dynamic (Linear layers)"}
    if not prefilter:
        return LoadedClassifier(model, "trained", card)
    return _cascade(model, card, None if prefilter is True else Path(prefilter))


def _cascade(model: LazyTrainedClassifier, card: dict, prefilter_dir: Path | None) -> LoadedClassifier:
    from classifiers.cascade import CascadeClassifier
    from classifiers.prefilter import Prefilter, read_card

    try:
        pf_card = read_card(prefilter_dir)
    except (OSError, ValueError) as exc:
        raise ModelUnavailableError(f"cannot read the prefilter card: {exc}") from exc
    cascade = CascadeClassifier(model, prefilter_version=pf_card["version"],
                                prefilter_loader=lambda: Prefilter.load(prefilter_dir))
    cascade_card = {**card, "model_version": cascade.model_version, "inner_model_version": card["model_version"],
                    "prefilter": pf_card}
    return LoadedClassifier(cascade, "trained", cascade_card)
