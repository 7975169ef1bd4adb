"""Training the shipped model reproducibly, and measuring it on every split."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from classifiers import artifacts
from classifiers.base import PassageInput
from classifiers.codebook import CODEBOOK_VERSION, EXPLICIT_FLAG, FRAMES
from classifiers.encoder import MINILM, SentenceTransformerEncoder, minilm_path, model_fingerprint
from classifiers.evaluate import score
from classifiers.explicit import has_explicit_vocabulary
from classifiers.finetune import FineTuneConfig, fine_tune
from classifiers.keywords import KeywordClassifier
from classifiers.labelled import LABELS, LabelledSet, load_real, load_written
from classifiers.model import HEADS, FrameModel, model_input
from classifiers.setfit_tune import SetFitConfig


TUNING_TAGS = {"frozen": "lr", "full": "ft", "setfit": "sf"}  # in the model version


@dataclass(frozen=True)
class TrainConfig:
    fine_tune: bool = True
    finetune: FineTuneConfig = field(default_factory=FineTuneConfig)
    setfit: SetFitConfig | None = None  # instead of the full fine-tune: SetFit-style pair tuning
    C: float = 4.0
    lexical_weight: float = 1.0
    use_context: bool = False
    threads: int = 2

    @property
    def tuning(self) -> str:
        """How the encoder is tuned: `frozen`, `full` (fine-tune) or `setfit` (contrastive pairs)."""
        return "setfit" if self.setfit is not None else "full" if self.fine_tune else "frozen"

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, default=str).encode()).hexdigest()[:8]


def annotation_summary(data: LabelledSet) -> dict:
    """What the card records of the warehouse annotations a model was trained on."""
    units = [m for m, origin in zip(data.meta, data.origin) if origin == "annotation"] if data.meta else []
    return {
        "count": sum(1 for origin in data.origin if origin == "annotation"),
        "annotators": sorted({a for m in units for a in m.get("annotators", [])}),
        "units": [{k: m.get(k) for k in ("passage_id", "content_hash", "annotators", "sample_design")}
                  for m in units],
    }


def load_all(corpus_dir: Path, extra: LabelledSet | None = None) -> LabelledSet:
    """Real and written labelled passages (and any reconciled annotations), every split."""
    data = load_real(corpus_dir) + load_written()
    return data + extra if extra is not None else data


def decisions_of(model: FrameModel, X: np.ndarray, items: list[PassageInput]) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, decisions) in LABELS order: relevant, 7 frames, explicit."""
    proba = model.predict_proba(X, [model_input(i, model.use_context) for i in items])
    decide = model.decide(proba)
    explicit = np.array([bool(d[0]) and has_explicit_vocabulary(i.text) for d, i in zip(decide, items)])
    joint = proba.copy()
    joint[:, 1:] = proba[:, 1:] * proba[:, [0]]  # P(frame) = P(relevant) P(frame | relevant)
    P = np.column_stack([joint, explicit.astype(float)])
    D = np.column_stack([decide, explicit])
    return P, D


def keyword_decisions(items: list[PassageInput]) -> np.ndarray:
    predictions = KeywordClassifier().predict(items)
    return np.array([[p.relevant, *(f in p.labels for f in FRAMES), p.explicit_trait_vocabulary]
                     for p in predictions])


def evaluate_split(model: FrameModel, X: np.ndarray, data: LabelledSet) -> dict:
    """Model and keyword-baseline scores on one labelled subset."""
    P, D = decisions_of(model, X, data.items)
    result = score(data.y, D, LABELS, P)
    result["keywords"] = score(data.y, keyword_decisions(data.items), LABELS, n_boot=200)
    return result


def train(corpus_dir: Path, out_dir: Path, config: TrainConfig = TrainConfig(),
          extra: LabelledSet | None = None, log: Callable[[str], None] = print,
          cache_path: Path | None = None, data: LabelledSet | None = None) -> dict:
    """Fit the model on the train splits, calibrate on dev, measure on dev and test; save it.

    `data` replaces the shipped labelled sets (tests use it to train on a small slice); `extra`
    (reconciled warehouse annotations) is added to either, and the card lists it."""
    started = time.monotonic()
    data = load_all(corpus_dir) if data is None else data
    if extra is not None and len(extra):
        data = data + extra
    train_set = data.where(split="train")
    heads_y = lambda s: s.y[:, :len(HEADS)]  # noqa: E731 (relevant + frames; explicit is by rule)
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    if config.setfit is not None:
        from classifiers.setfit_tune import setfit_tune

        encoder_dir = setfit_tune(minilm_path(), [model_input(i, config.use_context) for i in train_set.items],
                                  heads_y(train_set), out_dir / artifacts.ENCODER_DIR, config.setfit, log)
    elif config.fine_tune:
        log(f"fine-tuning {MINILM} on {len(train_set)} passages")
        encoder_dir = fine_tune(minilm_path(), [model_input(i, config.use_context) for i in train_set.items],
                                heads_y(train_set), out_dir / artifacts.ENCODER_DIR, config.finetune, log)
    if config.tuning != "frozen":
        encoder = SentenceTransformerEncoder(encoder_dir, threads=config.threads,
                                             name=artifacts.TUNED_ENCODER_NAME)
    else:
        encoder = SentenceTransformerEncoder(threads=config.threads)
    embedder = encoder
    if cache_path is not None:
        from classifiers.cache import CachedEncoder, EmbeddingCache

        embedder = CachedEncoder(encoder, EmbeddingCache(cache_path))
    X = embedder.encode([model_input(i, config.use_context) for i in data.items])
    version = f"frames-{TUNING_TAGS[config.tuning]}-{data.fingerprint[:8]}-{config.fingerprint()}"
    model = FrameModel(encoder, C=config.C, use_context=config.use_context, model_version=version,
                       lexical_weight=config.lexical_weight)
    is_train, is_dev = np.array([s == "train" for s in data.split]), np.array([s == "dev" for s in data.split])
    texts = [model_input(i, config.use_context) for i in data.items]
    model.fit(X[is_train], heads_y(data)[is_train], X[is_dev], heads_y(data)[is_dev],
              [t for t, keep in zip(texts, is_train) if keep], [t for t, keep in zip(texts, is_dev) if keep])
    metrics = {}
    for split in ("dev", "test"):
        for origin in ("real", "written"):
            mask = np.array([s == split and o == origin for s, o in zip(data.split, data.origin)])
            if mask.any():
                metrics[f"{split}/{origin}"] = evaluate_split(model, X[mask], data.subset(mask))
    counts = {f"{s}/{o}": int(sum(1 for a, b in zip(data.split, data.origin) if a == s and b == o))
              for s in ("train", "dev", "test") for o in ("real", "written")}
    positives = {f"{o}": {label: int(data.where(origin=o).y[:, k].sum()) for k, label in enumerate(LABELS)}
                 for o in ("real", "written")}
    card = {
        "model_version": version,
        "codebook_version": CODEBOOK_VERSION,
        "kind": "trained",
        "encoder": {"name": MINILM, "revision": model_fingerprint(minilm_path()),
                    "fine_tuned": config.tuning != "frozen", "tuning": config.tuning},
        "training_data_sha256": data.fingerprint,
        "training_data": {"counts": counts, "positives": positives, "annotations": annotation_summary(data)},
        "config": json.loads(json.dumps(asdict(config), default=str)),
        "heads": list(HEADS), "explicit": "rule detector (classifiers/explicit.py)",
        "thresholds": {h: round(float(t), 4) for h, t in zip(HEADS, model.thresholds_)},
        "metrics": metrics,
        "train_seconds": round(time.monotonic() - started, 1),
        "labels": list(LABELS),
        "explicit_flag": EXPLICIT_FLAG,
    }
    artifacts.save(model, out_dir, card)
    log(f"saved {version} to {out_dir} ({card['train_seconds']} s)")
    return card
