"""SetFit-style encoder tuning (contrastive pairs, the `setfit` package) for the model comparison.

SetFit fine-tunes the sentence encoder on pairs of passages (same labels: close; different:
apart) and then fits a light head. Here the tuned encoder is kept and the calibrated heads of
classifiers/model.py are fitted on its embeddings, exactly as for the frozen and fully
fine-tuned encoders, so the comparison isolates how the encoder was tuned.

Every passage gets at least one class: `irrelevant`, or `relevant` plus its frames.
Install with `pip install -e .[experiments]`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np


@dataclass(frozen=True)
class SetFitConfig:
    max_steps: int = 300          # pairs seen = max_steps x batch_size (a small, CPU-sized budget)
    batch_size: int = 16
    body_learning_rate: float = 2e-5
    max_length: int = 256
    seed: int = 13
    threads: int = 2


def setfit_targets(Y: np.ndarray) -> list[list[int]]:
    """(n, 1 + frames) relevance-then-frames rows -> multi-hot [irrelevant, relevant, frames...]."""
    Y = np.asarray(Y, dtype=int)
    return [[1 - row[0], *row] for row in Y]


def setfit_tune(base_path: Path, texts: Sequence[str], Y: np.ndarray, out_dir: Path,
                config: SetFitConfig = SetFitConfig(), log: Callable[[str], None] = print) -> Path:
    """Contrastively tune the encoder at `base_path` on texts with labels Y; save it to out_dir."""
    try:
        from datasets import Dataset
        from setfit import SetFitModel, Trainer, TrainingArguments
    except ImportError as exc:  # an optional extra
        raise RuntimeError("SetFit tuning needs the `setfit` package: pip install -e '.[experiments]'") from exc
    import torch

    from classifiers.encoder import offline_environment

    offline_environment()
    torch.set_num_threads(config.threads)
    model = SetFitModel.from_pretrained(str(base_path), multi_target_strategy="one-vs-rest", device="cpu")
    dataset = Dataset.from_dict({"text": list(texts), "label": setfit_targets(Y)})
    with tempfile.TemporaryDirectory() as checkpoints:
        args = TrainingArguments(output_dir=checkpoints, batch_size=config.batch_size, num_epochs=1,
                                 max_steps=config.max_steps, body_learning_rate=config.body_learning_rate,
                                 max_length=config.max_length, seed=config.seed, report_to="none",
                                 save_strategy="no", show_progress_bar=False, logging_steps=50)
        trainer = Trainer(model=model, args=args, train_dataset=dataset)
        log(f"SetFit: {config.max_steps} steps of {config.batch_size} pairs on {len(texts)} passages")
        trainer.train_embeddings(x_train=dataset["text"], y_train=dataset["label"], args=args)
    out_dir = Path(out_dir)
    model.model_body.save(str(out_dir))
    return out_dir
