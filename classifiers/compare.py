"""The model comparison: the same heads on four encoders, picked by real dev macro-F1.

    python -m classifiers.compare                          # every arm, trained here
    python -m classifiers.compare --reuse full=/path/model # an arm already trained (its card)

Arms: logistic-regression heads on frozen MiniLM embeddings; the same with TF-IDF lexical
features beside the embeddings; SetFit-style contrastive tuning of the encoder; a full
fine-tune of the encoder. Each is trained on the train splits, calibrated and thresholded on
dev, and scored on dev and test (real and written). The rows go to
classifiers/data/model_comparison.json, which classifiers/model_card.py renders.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from classifiers import artifacts
from classifiers.finetune import FineTuneConfig
from classifiers.labelled import data_dir
from classifiers.setfit_tune import SetFitConfig
from classifiers.train import TrainConfig, load_all, train

ARMS = {
    "frozen-lr": ("frozen MiniLM + LR heads", TrainConfig(fine_tune=False, lexical_weight=0.0)),
    "frozen-tfidf": ("frozen MiniLM + TF-IDF + LR heads", TrainConfig(fine_tune=False)),
    "setfit": ("SetFit-style tuned MiniLM + TF-IDF + LR heads", TrainConfig(fine_tune=False, setfit=SetFitConfig())),
    "full": ("fully fine-tuned MiniLM (3 epochs) + TF-IDF + LR heads", TrainConfig(finetune=FineTuneConfig(epochs=3))),
}
OUT = data_dir() / "model_comparison.json"


def row(arm: str, card: dict) -> dict:
    metrics = card["metrics"]
    figure = lambda key: metrics.get(key, {}).get("macro_f1_frames")  # noqa: E731
    return {"arm": arm, "model": ARMS[arm][0], "model_version": card["model_version"],
            "dev_real": figure("dev/real"), "dev_written": figure("dev/written"),
            "test_real": figure("test/real"), "test_written": figure("test/written"),
            "gate_f1_test_real": metrics.get("test/real", {}).get("labels", {}).get("relevant", {}).get("f1"),
            "train_seconds": card["train_seconds"],
            "train_time": f"{card['train_seconds'] / 60:.1f} min on 2 CPU cores"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="the real corpus folder")
    parser.add_argument("--arms", nargs="+", choices=list(ARMS), default=list(ARMS))
    parser.add_argument("--reuse", action="append", default=[], metavar="ARM=MODEL_DIR",
                        help="take an arm's figures from a model already trained with its configuration")
    parser.add_argument("--cache", type=Path, default=Path("data/cache/embeddings.sqlite"))
    parser.add_argument("--keep", type=Path, help="keep each trained model under this folder")
    parser.add_argument("--setfit-steps", type=int, default=SetFitConfig().max_steps,
                        help="the SetFit arm's budget: steps of 16 pairs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.setfit_steps != SetFitConfig().max_steps:
        ARMS["setfit"] = (f"SetFit-style tuned MiniLM ({args.setfit_steps} steps × 16 pairs) + TF-IDF + LR heads",
                          TrainConfig(fine_tune=False, setfit=SetFitConfig(max_steps=args.setfit_steps)))
    reused = dict(item.split("=", 1) for item in args.reuse)
    data = load_all(args.corpus)
    rows = []
    for arm in args.arms:
        if arm in reused:
            card = artifacts.read_card(Path(reused[arm]))
            if card["training_data_sha256"] != data.fingerprint:
                raise SystemExit(f"{reused[arm]} was trained on other data ({card['training_data_sha256'][:12]})")
        else:
            folder = (args.keep / arm) if args.keep else Path(tempfile.mkdtemp()) / arm
            card = train(args.corpus, folder, ARMS[arm][1], cache_path=args.cache, data=data)
        rows.append(row(arm, card))
        print(json.dumps(rows[-1]))
    best = max(rows, key=lambda r: r["dev_real"])
    args.out.write_text(json.dumps({"picked_by": "dev/real macro-F1 over the 7 frames", "best": best["arm"],
                                    "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"best on real dev: {best['arm']} ({best['dev_real']:.3f}); wrote {args.out}")


if __name__ == "__main__":
    main()
