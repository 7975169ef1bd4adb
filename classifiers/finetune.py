"""Full fine-tuning of the sentence encoder on the codebook's labels (CPU, deterministic).

The encoder (all-MiniLM-L6-v2) gets a linear head with one output per head of the model
(relevance, then the seven frames). The relevance loss covers every passage; each frame's loss
covers relevant passages only, matching P(frame | relevant). Rare frames get a positive
weight. After fine-tuning, the calibrated heads of classifiers/model.py are fitted on the
fine-tuned embeddings, so the head decomposition (and the free evidence) still holds.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np


@dataclass(frozen=True)
class FineTuneConfig:
    epochs: int = 3
    batch_size: int = 16
    encoder_lr: float = 3e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    max_pos_weight: float = 8.0
    max_seq_length: int = 256
    seed: int = 13
    threads: int = 2


def _seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def _length_bucketed_batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator,
                             pool_batches: int = 50) -> list[np.ndarray]:
    """Shuffled batches of similar-length texts: little padding, still random across the epoch."""
    order = rng.permutation(len(lengths))
    batches: list[np.ndarray] = []
    pool = batch_size * pool_batches
    for start in range(0, len(order), pool):
        chunk = order[start:start + pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def fine_tune(base_path: Path, texts: Sequence[str], Y: np.ndarray, out_dir: Path,
              config: FineTuneConfig = FineTuneConfig(),
              log: Callable[[str], None] = print) -> Path:
    """Fine-tune the encoder at `base_path` on texts with labels Y (n, 1 + frames); save it."""
    import torch
    from sentence_transformers import SentenceTransformer

    from classifiers.encoder import offline_environment

    offline_environment()
    torch.set_num_threads(config.threads)
    _seed_everything(config.seed)
    model = SentenceTransformer(str(base_path), device="cpu")
    model.max_seq_length = config.max_seq_length
    dim = model.get_embedding_dimension()
    Y = np.asarray(Y, dtype=np.float32)
    heads = Y.shape[1]
    head = torch.nn.Linear(dim, heads)

    relevant = Y[:, 0] == 1
    positives = np.array([Y[:, 0].sum()] + [Y[relevant, k].sum() for k in range(1, heads)])
    negatives = np.array([len(Y) - Y[:, 0].sum()] + [relevant.sum() - Y[relevant, k].sum() for k in range(1, heads)])
    pos_weight = torch.tensor(np.clip(negatives / np.maximum(positives, 1), 1.0, config.max_pos_weight),
                              dtype=torch.float32)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")

    optimizer = torch.optim.AdamW([
        {"params": model.parameters(), "lr": config.encoder_lr},
        {"params": head.parameters(), "lr": config.head_lr},
    ], weight_decay=config.weight_decay)
    steps_per_epoch = math.ceil(len(texts) / config.batch_size) + math.ceil(len(texts) / (config.batch_size * 50))
    total = steps_per_epoch * config.epochs
    warmup = max(1, int(total * config.warmup_fraction))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (total - step) / max(1, total - warmup)))

    order_rng = np.random.default_rng(config.seed)
    labels = torch.from_numpy(Y)
    model.train()
    step = 0
    started = time.monotonic()
    lengths = np.array([len(t) for t in texts])
    for epoch in range(config.epochs):
        running = 0.0
        for index in _length_bucketed_batches(lengths, config.batch_size, order_rng):
            features = model.tokenize([texts[i] for i in index])
            embedding = model(features)["sentence_embedding"]
            logits = head(embedding)
            target = labels[index]
            losses = loss_fn(logits, target)
            mask = torch.ones_like(losses)
            mask[:, 1:] = target[:, [0]]  # frame losses only for relevant passages
            loss = (losses * mask).sum() / mask.sum()
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(model.parameters()) + list(head.parameters()), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            running += loss.item()
            if step % 50 == 0:
                log(f"epoch {epoch + 1} step {step}/{total} loss {running / 50:.4f} "
                    f"({time.monotonic() - started:.0f} s)")
                running = 0.0
    model.eval()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    return out_dir
