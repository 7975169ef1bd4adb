"""A small deterministic encoder for unit tests: hashed bag of words, L2-normalised."""

from __future__ import annotations

import hashlib
import re

import numpy as np


class HashingEncoder:
    name = "hashing-test-encoder"
    dim = 64

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)
