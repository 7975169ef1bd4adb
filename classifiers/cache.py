"""An embedding cache keyed by encoder + text hash, so unchanged text is never re-encoded."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Sequence

import numpy as np

from classifiers.encoder import Encoder


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A SQLite file of float32 vectors; safe for several processes (WAL)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings ("
            " encoder TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,"
            " PRIMARY KEY (encoder, text_hash)) WITHOUT ROWID"
        )

    def get_many(self, encoder: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 900):
            chunk = unique[start : start + 900]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE encoder = ? AND text_hash IN ({marks})",
                [encoder, *chunk],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, encoder: str, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(encoder, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM embeddings").fetchone()[0]

    def close(self) -> None:
        self._db.close()


class CachedEncoder:
    """An encoder that looks every text up in the cache first and encodes only the misses."""

    def __init__(self, encoder: Encoder, cache: EmbeddingCache) -> None:
        self.encoder = encoder
        self.cache = cache
        self.name = encoder.name
        self.dim = encoder.dim
        self.misses = 0

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        """Cached vectors (zeros where missing) and the indices of the texts not in the cache."""
        keys = [_key(t) for t in texts]
        found = self.cache.get_many(self.name, keys)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = []
        for i, key in enumerate(keys):
            if key in found:
                vectors[i] = found[key]
            else:
                missing.append(i)
        return vectors, missing

    def store(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self.cache.put_many(self.name, {_key(t): v for t, v in zip(texts, vectors)})
        self.misses += len(texts)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]
        found = self.cache.get_many(self.name, keys)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            by_key = dict(zip(keys, texts))
            fresh = self.encoder.encode([by_key[k] for k in missing])
            new = dict(zip(missing, fresh))
            self.cache.put_many(self.name, new)
            found.update(new)
            self.misses += len(missing)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys])
