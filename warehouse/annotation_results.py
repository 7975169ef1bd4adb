"""What the annotations say: agreement between annotators, and reconciled labels for training."""

from __future__ import annotations

from collections import defaultdict

import duckdb
import numpy as np

from classifiers.agreement import alpha_table, majority, pairwise_alpha
from classifiers.base import PassageInput
from classifiers.codebook import CODEBOOK_VERSION
from classifiers.labelled import LABELS, LabelledSet, label_row

_LATEST = """
WITH latest AS (
    SELECT *
    FROM annotations
    WHERE codebook_version = $codebook
    QUALIFY row_number() OVER (PARTITION BY passage_id, content_hash, annotator
                               ORDER BY annotated_at DESC, annotation_id DESC) = 1
)
SELECT l.passage_id, l.content_hash, l.annotator, l.relevant, l.frames, l.explicit_trait_vocabulary,
       l.stream, l.sample_design, l.p_inclusion,
       coalesce(t.text, p.text) AS text, coalesce(t.context, p.context, '') AS context
FROM latest AS l
LEFT JOIN annotated_texts AS t USING (content_hash)
LEFT JOIN passages AS p USING (passage_id, content_hash)
ORDER BY l.passage_id, l.content_hash, l.annotator
"""


def latest_answers(con: duckdb.DuckDBPyConnection, codebook_version: str = CODEBOOK_VERSION) -> list[dict]:
    """Each annotator's latest answer on each passage text, in classifiers.agreement's shape."""
    rows = con.execute(_LATEST, {"codebook": codebook_version}).fetchall()
    return [{"pid": f"{pid}:{h}", "passage_id": pid, "content_hash": h, "annotator": annotator,
             "relevant": bool(relevant), "frames": list(frames), "explicit": bool(explicit),
             "stream": stream, "sample_design": design, "p_inclusion": p, "text": text, "context": context}
            for pid, h, annotator, relevant, frames, explicit, stream, design, p, text, context in rows]


def agreement_report(con: duckdb.DuckDBPyConnection, codebook_version: str = CODEBOOK_VERSION) -> dict:
    """Krippendorff's alpha per label, and per label for every annotator pair with common units."""
    answers = latest_answers(con, codebook_version)
    coders: dict[str, set[str]] = defaultdict(set)
    for a in answers:
        coders[a["pid"]].add(a["annotator"])
    return {
        "codebook_version": codebook_version,
        "annotations": len(answers),
        "annotators": sorted({a["annotator"] for a in answers}),
        "units": len(coders),
        "units_multiply_coded": sum(1 for c in coders.values() if len(c) >= 2),
        "labels": alpha_table(answers),
        "pairs": {f"{a} × {b}": alphas for (a, b), alphas in pairwise_alpha(answers).items()},
    }


def reconciled_annotations(con: duckdb.DuckDBPyConnection, *, include_gold: bool = False,
                           codebook_version: str = CODEBOOK_VERSION) -> LabelledSet:
    """Annotated passages reconciled by majority, as training data (split 'train', origin 'annotation').

    Gold-sample items are left out unless `include_gold`: they are the random sample that
    PPI-style trend estimates and honest evaluation rely on, and a model trained on them no
    longer makes independent errors there. Units whose annotators split evenly on relevance
    carry no usable label and are left out too.
    """
    units: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for answer in latest_answers(con, codebook_version):
        units[(answer["passage_id"], answer["content_hash"])].append(answer)
    ids, items, ys, meta = [], [], [], []
    for (pid, content_hash), answers in units.items():
        if not include_gold and any(a["sample_design"].startswith("gold:") for a in answers):
            continue
        if not answers[0]["text"]:
            continue
        n_relevant = sum(a["relevant"] for a in answers)
        if len(answers) > 1 and 2 * n_relevant == len(answers):
            continue
        label = majority(answers)
        ids.append(f"annotation:{pid}:{content_hash[:12]}")
        items.append(PassageInput(answers[0]["text"], answers[0]["context"] or ""))
        ys.append(label_row(label["relevant"], label["frames"], label["explicit"]))
        meta.append({"passage_id": pid, "content_hash": content_hash,
                     "annotators": sorted(a["annotator"] for a in answers),
                     "sample_design": sorted({a["sample_design"] for a in answers}),
                     "codebook_version": codebook_version})
    y = np.array(ys, dtype=np.int8).reshape(-1, len(LABELS))
    return LabelledSet(ids, items, y, ["train"] * len(ids), ["annotation"] * len(ids), meta)
