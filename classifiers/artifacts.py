"""Saving and loading a trained model: skops heads, the encoder folder, and the model card."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import skops.io as sio
from sklearn.linear_model import LogisticRegression

from classifiers.model import FrameModel, Platt

HEADS_FILE = "heads.skops"
CARD_FILE = "model_card.json"
ENCODER_DIR = "encoder"
TRUSTED = ["sklearn.linear_model._logistic.LogisticRegression"]


class ModelFileError(RuntimeError):
    """The model folder is missing, incomplete or corrupt."""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


TUNED_ENCODER_NAME = "all-MiniLM-L6-v2-whitehall-ft"  # the encoder appends its weights' fingerprint


def folder_sha256(folder: Path) -> str:
    """A hash over every file in a folder (names and bytes), for the card."""
    h = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(bytes.fromhex(file_sha256(path)))
    return h.hexdigest()


def save(model: FrameModel, folder: Path, card: dict) -> Path:
    """Write heads (skops) and the card; the encoder folder, if fine-tuned, is already there."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = {
        "heads": list(model.heads_),
        "calibration": [[c.a, c.b] for c in model.calibration_],
        "thresholds": [float(t) for t in model.thresholds_],
        "use_context": bool(model.use_context),
        "C": float(model.C),
        "vectorizer": model.vectorizer_,
        "lexical_weight": float(model.lexical_weight),
    }
    sio.dump(state, folder / HEADS_FILE)
    card = dict(card)
    card["files"] = {HEADS_FILE: file_sha256(folder / HEADS_FILE)}
    if (folder / ENCODER_DIR).is_dir():
        card["files"][ENCODER_DIR] = folder_sha256(folder / ENCODER_DIR)
    (folder / CARD_FILE).write_text(json.dumps(card, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return folder


def read_card(folder: Path) -> dict:
    path = Path(folder) / CARD_FILE
    if not path.is_file():
        raise ModelFileError(f"no model card at {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"model card {path} is corrupt: {exc}") from exc


def verify(folder: Path, card: dict) -> None:
    """Check every file against the hash the card recorded."""
    for name, expected in card.get("files", {}).items():
        path = Path(folder) / name
        if not path.exists():
            raise ModelFileError(f"model file {path} is missing")
        actual = folder_sha256(path) if path.is_dir() else file_sha256(path)
        if actual != expected:
            raise ModelFileError(f"model file {path} is corrupt (sha256 {actual[:12]} != card {expected[:12]})")


def load(folder: Path, encoder) -> FrameModel:
    """Rebuild a FrameModel from its folder, with the given (already loaded) encoder."""
    folder = Path(folder)
    card = read_card(folder)
    verify(folder, card)
    try:
        state = sio.load(folder / HEADS_FILE, trusted=TRUSTED)
    except Exception as exc:  # skops raises several types on a bad file
        raise ModelFileError(f"cannot read {folder / HEADS_FILE}: {exc}") from exc
    model = FrameModel(encoder=encoder, C=state["C"], use_context=state["use_context"],
                       model_version=card["model_version"], lexical_weight=state.get("lexical_weight", 0.0))
    heads: list[LogisticRegression] = state["heads"]
    model.heads_ = heads
    model.vectorizer_ = state.get("vectorizer")
    model._unpack_heads()
    model.calibration_ = [Platt(a, b) for a, b in state["calibration"]]
    model.thresholds_ = np.array(state["thresholds"])
    return model
