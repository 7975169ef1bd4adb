"""Render classifiers/MODEL_CARD.md from the model card JSON, the agreement rounds and the
model comparison."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from classifiers.agreement import ALPHA_FLOOR, agreement_report
from classifiers.labelled import LABELS, data_dir, read_jsonl
from classifiers.registry import shipped_model_dir

PROJECT = Path(__file__).resolve().parent


def _f1_cell(row: dict | None) -> str:
    if not row:
        return "–"
    return f"{row['f1']:.2f} [{row['f1_ci'][0]:.2f}, {row['f1_ci'][1]:.2f}]"


def metrics_section(card: dict) -> list[str]:
    lines = []
    for key, title in (("test/real", "Real test split (Covid Inquiry hearing days held out)"),
                       ("test/written", "Written test split"), ("dev/real", "Real dev split"),
                       ("dev/written", "Written dev split")):
        m = card["metrics"].get(key)
        if not m:
            continue
        kw = m.get("keywords", {}).get("labels", {})
        lines += [f"### {title} (n = {m['n']})", "",
                  "| label | support | precision | recall | F1 [95% CI] | keyword baseline F1 | ECE |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for label in LABELS:
            row = m["labels"][label]
            lines.append(f"| `{label}` | {row['support']} | {row['precision']:.2f} | {row['recall']:.2f} | "
                         f"{_f1_cell(row)} | {kw.get(label, {}).get('f1', float('nan')):.2f} | "
                         f"{m.get('ece', {}).get(label, float('nan')):.3f} |")
        lines += [f"| **macro-F1, 7 frames** | | | | **{m['macro_f1_frames']:.2f}** "
                  f"[{m['macro_f1_ci'][0]:.2f}, {m['macro_f1_ci'][1]:.2f}] | "
                  f"{m.get('keywords', {}).get('macro_f1_frames', float('nan')):.2f} | |", ""]
    return lines


def agreement_section(annotations: list[dict]) -> list[str]:
    lines = ["## Inter-annotator agreement (Krippendorff's α, nominal)", "",
             "Annotators are independent model sessions (Claude), each seeing only the codebook"
             " (and, from round 2, ANNOTATION_GUIDE.md) and the passages, never another's labels.", ""]
    report = agreement_report(annotations)
    lines.append("| label | " + " | ".join(r["round"] for r in report) + " |")
    lines.append("|---|" + "---:|" * len(report))
    for label in LABELS:
        cells = []
        for r in report:
            a = r["alpha"][label]
            value = "–" if a["alpha"] is None else f"{a['alpha']:.2f}"
            flag = " ⚠" if a["alpha"] is not None and a["alpha"] < ALPHA_FLOOR else ""
            cells.append(f"{value}{flag} ({a['positives']})")
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
    lines += ["", f"Cells: α (positive labels in the round). ⚠ marks α < {ALPHA_FLOOR}.", ""]
    return lines


def render(card: dict, annotations: list[dict], comparison: dict | None = None) -> str:
    data = card["training_data"]
    lines = [
        "# Model card: the Whitehall Discourse classifier", "",
        f"- **Model version:** `{card['model_version']}`",
        f"- **Codebook:** `{card['codebook_version']}` (../shared/CODEBOOK.md)",
        f"- **Encoder:** `{card['encoder']['name']}` revision `{card['encoder']['revision']}`"
        + {"full": ", fully fine-tuned on the train split", "setfit": ", tuned SetFit-style (contrastive pairs) on the train split",
           "frozen": ", frozen"}[card["encoder"].get("tuning", "full" if card["encoder"]["fine_tuned"] else "frozen")],
        "- **Heads:** logistic-regression relevance gate and seven frame heads (P(frame | relevant)),"
        " Platt-calibrated on the dev split; thresholds tuned on dev for F1: "
        + ", ".join(f"{k} {v}" for k, v in card["thresholds"].items()),
        f"- **Explicit vocabulary:** {card['explicit']}",
        f"- **Training data sha256:** `{card['training_data_sha256']}`",
        f"- **Training time:** {card['train_seconds']} s on 2 CPU cores", "",
        "## Data", "",
        "| split | real passages | written passages |", "|---|---:|---:|",
    ]
    for split in ("train", "dev", "test"):
        lines.append(f"| {split} | {data['counts'][f'{split}/real']} | {data['counts'][f'{split}/written']} |")
    added = data.get("annotations") or {}
    if added.get("count"):
        lines += ["", f"Plus {added['count']} reconciled warehouse annotations in the train split "
                  f"(annotators: {', '.join(added['annotators'])}; `whitehall train --with-annotations`):", ""]
        lines += [f"- `{u['passage_id']}` (text {u['content_hash'][:12]}…, by {', '.join(u['annotators'])}; "
                  f"{', '.join(u['sample_design'])})" for u in added["units"]]
    lines += ["", "Positives per label: " + "; ".join(
        f"{origin}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) for origin, counts in data["positives"].items()), ""]
    lines += ["## Measured quality", ""] + metrics_section(card)
    if comparison:
        lines += ["## Model comparison (macro-F1 over the 7 frames)", "",
                  f"Picked by {comparison['picked_by']}: **{comparison['best']}**. Same data, same heads "
                  "(calibrated on dev, thresholds tuned on dev); only the encoder's tuning differs "
                  "(`python -m classifiers.compare`).", "",
                  "| model | dev real | dev written | test real | test written | training time |",
                  "|---|---:|---:|---:|---:|---:|"]
        for row in comparison["rows"]:
            lines.append(f"| {row['model']} | {row['dev_real']:.3f} | {row['dev_written']:.3f} | "
                         f"{row['test_real']:.3f} | {row['test_written']:.3f} | {row['train_time']} |")
        lines += ["", comparison["note"]] if comparison.get("note") else []
        lines.append("")
    lines += agreement_section(annotations)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=shipped_model_dir())
    parser.add_argument("--out", type=Path, default=PROJECT / "MODEL_CARD.md")
    args = parser.parse_args()
    card = json.loads((args.model / "model_card.json").read_text())
    annotations = read_jsonl(data_dir() / "real" / "annotations.jsonl")
    comparison_path = data_dir() / "model_comparison.json"
    comparison = json.loads(comparison_path.read_text()) if comparison_path.exists() else None
    args.out.write_text(render(card, annotations, comparison), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
