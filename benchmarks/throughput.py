"""Classification throughput: `whitehall classify` (cold cache) and the cascade, against raw
SentenceTransformer.encode of the same texts in the same run; int8 quantisation's F1 cost."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.common import abba, save_section, timed, whitehall
from benchmarks.workloads import CORPUS, distinct_passages, realistic_mix


def _lines(texts) -> list[str]:
    return [json.dumps({"id": t.id, "text": t.text, "context": t.context}) + "\n" for t in texts]


def _raw_encoder():
    from classifiers.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(threads=2)


def _classifier(cache: Path, prefilter: bool, quantize: bool = False):
    from classifiers.registry import load_classifier

    loaded = load_classifier(cache_path=cache, threads=2, prefilter=prefilter, quantize=quantize)
    (loaded.classifier.load() if hasattr(loaded.classifier, "load") else None)
    return loaded.classifier


def classify_vs_raw(n: int) -> dict:
    """End to end (JSONL in, JSONL out, cold cache, evidence) vs raw encode, ABBA on halves."""
    from classifiers.classify_jsonl import classify_stream

    texts = distinct_passages(n)
    halves = [texts[: n // 2], texts[n // 2:]]
    raw = _raw_encoder()
    raw.encode([t.text for t in texts[:8]])
    tmp = Path(tempfile.mkdtemp(prefix="bench-classify-"))
    classifiers = [_classifier(tmp / f"cache{h}.sqlite", prefilter=False) for h in (0, 1)]  # cold caches

    def reference(h):
        raw.model.encode([t.text for t in halves[h]], batch_size=32, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=False)

    def subject(h):
        classify_stream(iter(_lines(halves[h])), io.StringIO(), classifiers[h])

    result = abba(reference, subject)
    result["n"] = n
    result["words_mean"] = round(float(np.mean([len(t.text.split()) for t in texts])), 1)
    # the command itself, in its own process: start-up and model load included
    data = tmp / "cli"
    infile = tmp / "in.jsonl"
    infile.write_text("".join(_lines(halves[0])), "utf-8")
    cli_s, _ = timed(lambda: whitehall(["classify", str(infile), "-o", str(tmp / "out.jsonl")],
                                       {"WHITEHALL_DATA_DIR": str(data), "WHITEHALL_PREFILTER": "false"}))
    raw_s, _ = timed(lambda: reference(0))
    result["cli_process_ratio"] = round(raw_s / cli_s, 3)
    result["cli_process_s"] = round(cli_s, 2)
    return result


def cascade_vs_raw(n: int) -> dict:
    """The cascade on a realistic ~90%-irrelevant mix vs raw encode of the same mix (ABBA)."""
    from classifiers.classify_jsonl import classify_stream

    mix = realistic_mix(n)
    halves = [mix[: n // 2], mix[n // 2:]]
    raw = _raw_encoder()
    raw.encode([t.text for t in mix[:8]])
    tmp = Path(tempfile.mkdtemp(prefix="bench-cascade-"))
    cascades = [_classifier(tmp / f"cache{h}.sqlite", prefilter=True) for h in (0, 1)]

    def reference(h):
        raw.model.encode([t.text for t in halves[h]], batch_size=32, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=False)

    def subject(h):
        classify_stream(iter(_lines(halves[h])), io.StringIO(), cascades[h])

    result = abba(reference, subject)
    kept = sum(c.kept for c in cascades)
    result.update(n=n, irrelevant_share=round(sum(not t.relevant for t in mix) / n, 3),
                  kept_share=round(kept / n, 3),
                  origins={o: sum(t.origin.startswith(o) for t in mix) for o in ("real", "sample")})
    # by origin: how much each part of the mix is spared
    from classifiers.prefilter import Prefilter

    pf = Prefilter.load()
    for origin in ("real", "sample"):
        part = [t for t in mix if t.origin.startswith(origin)]
        _, keep = pf.keep([t.text for t in part])
        words = np.array([len(t.text.split()) for t in part])
        result[f"kept_word_share_{origin}"] = round(float(words[keep].sum() / words.sum()), 3)
    return result


def prefilter_recall(cache: Path) -> dict:
    """The prefilter's cost to the gate on the labelled splits (gate decisions from the cache)."""
    from classifiers.prefilter import Prefilter
    from classifiers.prefilter_train import gate_decisions, recall_cost
    from classifiers.train import load_all

    data = load_all(CORPUS)
    model = _classifier(cache, prefilter=False).load()
    gate = gate_decisions(model, data)
    pf = Prefilter.load()
    t, _ = timed(lambda: pf.proba([i.text for i in data.items]))
    return {"version": pf.version, "threshold": pf.threshold, "splits": recall_cost(pf, data, gate),
            "prefilter_passages_per_s": round(len(data) / t)}


def quantisation(cache: Path, n_speed: int) -> dict:
    """int8 dynamic quantisation: F1 change on the dev splits, and speed vs fp32 (ABBA)."""
    from sklearn.metrics import f1_score

    from classifiers.labelled import LABELS
    from classifiers.model import model_input
    from classifiers.train import decisions_of, load_all

    data = load_all(CORPUS).where(split="dev")
    fp32 = _classifier(cache, prefilter=False).load()
    int8 = _classifier(Path(tempfile.mkdtemp()) / "q.sqlite", prefilter=False, quantize=True).load()
    texts = [model_input(i, fp32.use_context) for i in data.items]
    out: dict = {"n_dev": len(texts)}
    decisions = {}
    for name, model in (("fp32", fp32), ("int8", int8)):
        X = model.encoder.encode(texts)
        decisions[name] = decisions_of(model, X, data.items)[1]
    f1 = {name: {label: round(float(f1_score(data.y[:, k], d[:, k], zero_division=0)), 4)
                 for k, label in enumerate(LABELS)} for name, d in decisions.items()}
    out["f1"] = f1
    out["max_abs_f1_change"] = round(max(abs(f1["fp32"][k] - f1["int8"][k]) for k in LABELS), 4)
    macro = {n: float(np.mean([f1[n][label] for label in LABELS[1:8]])) for n in f1}
    out["macro_f1_frames_change"] = round(macro["int8"] - macro["fp32"], 4)
    speed_texts = [t.text for t in distinct_passages(n_speed)]
    halves = [speed_texts[: n_speed // 2], speed_texts[n_speed // 2:]]
    a, b = fp32.encoder.encoder, int8.encoder.encoder
    out["speed"] = abba(lambda h: a.encode(halves[h]), lambda h: b.encode(halves[h]))
    return out


def run(scale: dict, cache: Path) -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    save_section("prefilter_recall", prefilter_recall(cache))
    save_section("classify_throughput", classify_vs_raw(scale["throughput_n"]))
    save_section("cascade_throughput", cascade_vs_raw(scale["cascade_n"]))
    save_section("quantisation", quantisation(cache, scale["quant_speed_n"]))
