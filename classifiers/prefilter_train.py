"""Fitting the prefilter on the labelled splits, and measuring what it costs the relevance gate."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from classifiers.labelled import LabelledSet
from classifiers.model import FrameModel, model_input
from classifiers.prefilter import Prefilter


def gate_decisions(model: FrameModel, data: LabelledSet) -> np.ndarray:
    """What the relevance gate decides on every labelled passage (cached embeddings where present)."""
    texts = [model_input(i, model.use_context) for i in data.items]
    return model.decide(model.predict_proba(model.encoder.encode(texts), texts))[:, 0]


def recall_cost(prefilter: Prefilter, data: LabelledSet, gate: np.ndarray) -> dict:
    """Per split/origin: the share of truly relevant passages dropped, and the gate recall
    before and after the prefilter (a dropped passage is decided irrelevant)."""
    _, keep = prefilter.keep([i.text for i in data.items])
    relevant = data.y[:, 0] == 1
    out = {}
    for split in ("dev", "test"):
        for origin in ("real", "written"):
            m = np.array([s == split and o == origin for s, o in zip(data.split, data.origin)])
            rel = m & relevant
            if not rel.any():
                continue
            before = float((gate & rel).sum() / rel.sum())
            after = float((gate & keep & rel).sum() / rel.sum())
            out[f"{split}/{origin}"] = {
                "n_relevant": int(rel.sum()),
                "relevant_dropped": round(float((~keep & rel).sum() / rel.sum()), 4),
                "gate_recall": round(before, 4), "cascade_recall": round(after, 4),
                "gate_recall_lost": round(before - after, 4),
                "irrelevant_passed": round(float(keep[m & ~relevant].mean()), 4) if (m & ~relevant).any() else None,
            }
    return out


def train_prefilter(data: LabelledSet, gate: np.ndarray, out_dir: Path, C: float = 16.0) -> dict:
    """Fit on train (target: gold relevant or gate positive), tune the cut on dev, save, report."""
    relevant = data.y[:, 0] == 1
    train = np.array([s == "train" for s in data.split])
    dev = np.array([s == "dev" for s in data.split])
    texts = [i.text for i in data.items]
    prefilter = Prefilter.fit([t for t, k in zip(texts, train) if k], (relevant | gate)[train], C=C)
    prefilter.tune([t for t, k in zip(texts, dev) if k], relevant[dev], gate[dev],
                   [o for o, k in zip(data.origin, dev) if k])
    metrics = recall_cost(prefilter, data, gate)
    card = {"C": C, "target": "gold relevant OR gate positive (train splits)",
            "tuned_on": "dev splits: at most 1.5% of relevant dropped, 1% of gate true positives lost, per origin",
            "training_data_sha256": data.fingerprint, "metrics": metrics}
    prefilter.save(out_dir, card)
    return {"version": prefilter.version, "threshold": prefilter.threshold, "metrics": metrics}
