"""What to annotate next: a random gold sample with known probabilities, mixed with active learning.

- **Gold stream.** Within each quarter (a stratum) that is complete in the data, `per_stratum`
  current passages are drawn uniformly without replacement (rank by md5(seed, passage id): a
  seeded random permutation, the same on any machine). Each gets p_inclusion = n_h / N_h, and
  the stratum's N_h is kept in `gold_strata`. The queue serves the draws round-robin across
  strata in their random order, so a partly annotated gold sample is still a uniform sample
  within each stratum, with probability m_h / N_h (`v_gold_annotations.p_inclusion_annotated`).
  Later passages of a stratum already drawn are outside that draw's frame.
- **Active stream.** Passages where the current model is least sure (1 - |2p - 1|, over the
  relevance gate and, when it is passed, the frame heads) or where another model version
  decided any label differently; disagreements come first. No inclusion probability.
- **Overlap.** A fixed share of items (chosen by hash, the same for everyone) goes to
  `overlap_annotators` people; the rest to one. Repeats are recorded with stream 'overlap' and
  keep the item's sample design and p_inclusion. Items others started come first, so agreement
  accrues early.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb

from warehouse.trends.dirty import mark_quarters


@dataclass(frozen=True)
class QueueConfig:
    per_stratum: int = 20
    gold_share: float = 0.5
    overlap: float = 0.2
    overlap_annotators: int = 2
    seed: int = 2026

    @property
    def gold_design(self) -> str:
        return f"gold:uniform-by-quarter:n={self.per_stratum}:seed={self.seed}"


@dataclass(frozen=True)
class QueueItem:
    passage_id: str
    content_hash: str
    stream: str  # gold | active | overlap
    sample_design: str
    p_inclusion: float | None
    note: str = ""


def draw_gold(con: duckdb.DuckDBPyConnection, config: QueueConfig) -> int:
    """Draw the gold sample of every complete quarter not drawn yet; return passages drawn."""
    design = config.gold_design
    rows = con.execute(
        """
        WITH pop AS (
            SELECT passage_id, content_hash, strftime(date, '%Y') || '-Q' || quarter(date) AS stratum,
                   date_trunc('quarter', date) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS quarter_end
            FROM passages
        ),
        eligible AS (
            SELECT * FROM pop
            WHERE quarter_end <= (SELECT max(date) FROM passages)
              AND stratum NOT IN (SELECT stratum FROM gold_strata WHERE design = $design)
        ),
        ranked AS (
            SELECT passage_id, content_hash, stratum,
                   row_number() OVER (PARTITION BY stratum ORDER BY md5($seed || passage_id)) AS rank,
                   count(*) OVER (PARTITION BY stratum) AS population
            FROM eligible
        )
        SELECT passage_id, content_hash, stratum, population FROM ranked WHERE rank <= $n
        ORDER BY stratum, rank
        """, {"design": design, "seed": str(config.seed), "n": config.per_stratum}).fetchall()
    if not rows:
        return 0
    drawn_at = datetime.now(timezone.utc).replace(tzinfo=None)
    strata: dict[str, tuple[int, int]] = {}
    for _, _, stratum, population in rows:
        n, _ = strata.get(stratum, (0, population))
        strata[stratum] = (n + 1, population)
    con.execute("BEGIN TRANSACTION")
    try:
        con.executemany(
            "INSERT INTO gold_sample (passage_id, content_hash, design, stratum, p_inclusion, drawn_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [[pid, h, design, stratum, strata[stratum][0] / population, drawn_at]
             for pid, h, stratum, population in rows])
        con.executemany(
            "INSERT INTO gold_strata (design, stratum, population, drawn, drawn_at) VALUES (?, ?, ?, ?, ?)",
            [[design, stratum, population, n, drawn_at] for stratum, (n, population) in strata.items()])
        mark_quarters(con, strata)  # inclusion probabilities of gold answers that carry none
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def in_overlap(passage_id: str, config: QueueConfig) -> bool:
    """Whether an item goes to several annotators (a fixed, hash-chosen share of items)."""
    digest = hashlib.sha256(f"{config.seed}:overlap:{passage_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < config.overlap


_STARTED = """
WITH current_answers AS (
    SELECT a.* FROM annotations AS a JOIN passages AS p USING (passage_id, content_hash)
),
started AS (
    SELECT passage_id, content_hash, count(DISTINCT annotator) AS n,
           bool_or(annotator = $annotator) AS mine,
           arg_min(sample_design, annotated_at) AS design,
           arg_min(p_inclusion, annotated_at) AS p_inclusion,
           min(annotated_at) AS first_at
    FROM current_answers
    GROUP BY ALL
)
SELECT passage_id, content_hash, design, p_inclusion, n FROM started
WHERE NOT mine AND n < $k
ORDER BY first_at, passage_id
"""

_GOLD = """
WITH fresh AS (
    SELECT g.passage_id, p.content_hash, g.design, g.p_inclusion, g.stratum
    FROM gold_sample AS g
    JOIN passages AS p USING (passage_id)
    WHERE g.design = $design
      AND NOT EXISTS (SELECT 1 FROM annotations AS a
                      WHERE a.passage_id = g.passage_id AND a.content_hash = p.content_hash)
),
ordered AS (
    SELECT *, row_number() OVER (PARTITION BY stratum ORDER BY md5($seed || passage_id)) AS turn
    FROM fresh
)
SELECT passage_id, content_hash, design, p_inclusion, stratum FROM ordered
ORDER BY turn, md5($seed || 'order' || passage_id)
LIMIT $limit
"""

_ACTIVE = """
WITH current_model AS (
    SELECT model_version FROM models WHERE is_current
),
labelled AS (
    SELECT l.passage_id, l.content_hash, l.label, l.probability, l.decision, l.model_version
    FROM labels AS l
    JOIN passages AS p USING (passage_id, content_hash)
),
current_labels AS (
    SELECT *, bool_or(decision) FILTER (WHERE label = 'relevant') OVER (PARTITION BY passage_id) AS gate
    FROM labelled WHERE model_version IN (SELECT model_version FROM current_model)
),
uncertainty AS (
    SELECT passage_id, content_hash,
           max(1 - abs(2 * probability - 1))
               FILTER (WHERE label = 'relevant' OR (gate AND label <> 'explicit_trait_vocabulary')) AS u
    FROM current_labels
    GROUP BY ALL
),
disagreement AS (
    SELECT c.passage_id, count(DISTINCT c.label) AS labels_differ
    FROM current_labels AS c
    JOIN labelled AS o USING (passage_id, content_hash, label)
    WHERE o.model_version NOT IN (SELECT model_version FROM current_model) AND o.decision <> c.decision
    GROUP BY ALL
),
candidates AS (
    SELECT u.passage_id, u.content_hash, coalesce(d.labels_differ, 0) AS labels_differ, coalesce(u.u, 0) AS u
    FROM uncertainty AS u
    LEFT JOIN disagreement AS d USING (passage_id)
    WHERE u.passage_id NOT IN (SELECT passage_id FROM gold_sample)
      AND NOT EXISTS (SELECT 1 FROM annotations AS a
                      WHERE a.passage_id = u.passage_id AND a.content_hash = u.content_hash)
      AND (coalesce(d.labels_differ, 0) > 0 OR coalesce(u.u, 0) > 0)
)
SELECT passage_id, content_hash, labels_differ, u FROM candidates
ORDER BY labels_differ DESC, u DESC, md5($seed || passage_id)
LIMIT $limit
"""


def next_items(con: duckdb.DuckDBPyConnection, annotator: str, config: QueueConfig, n: int = 10,
               exclude: set[str] = frozenset()) -> list[QueueItem]:
    """The next `n` items for `annotator`: repeats others started first, then gold and active mixed."""
    items: list[QueueItem] = []
    k = max(1, config.overlap_annotators)
    for pid, content_hash, design, p, started_by in con.execute(
            _STARTED, {"annotator": annotator, "k": k}).fetchall():
        if pid not in exclude and in_overlap(pid, config):
            items.append(QueueItem(pid, content_hash, "overlap", design, p, f"repeat: {started_by} before you"))
        if len(items) >= n:
            return items
    pool = n * 3 + len(exclude)
    gold = [QueueItem(pid, h, "gold", design, p, f"gold · {stratum} · p={p:.3g}")
            for pid, h, design, p, stratum in con.execute(
                _GOLD, {"design": config.gold_design, "seed": str(config.seed), "limit": pool}).fetchall()
            if pid not in exclude]
    active = [QueueItem(pid, h, "active", "active:disagreement:v1" if differ else "active:uncertainty:v1", None,
                        f"active · {differ} labels differ between models" if differ else f"active · uncertainty {u:.2f}")
              for pid, h, differ, u in con.execute(_ACTIVE, {"seed": str(config.seed), "limit": pool}).fetchall()
              if pid not in exclude]
    return items + interleave(gold, active, config.gold_share, n - len(items))


def interleave(gold: list[QueueItem], active: list[QueueItem], gold_share: float, n: int) -> list[QueueItem]:
    """Mix two streams so that any prefix holds about `gold_share` gold items."""
    out: list[QueueItem] = []
    g = a = 0
    while len(out) < n and (g < len(gold) or a < len(active)):
        want_gold = g < gold_share * (len(out) + 1) or a >= len(active)
        if want_gold and g < len(gold):
            out.append(gold[g])
            g += 1
        elif a < len(active):
            out.append(active[a])
            a += 1
        else:
            out.append(gold[g])
            g += 1
    return out


@dataclass
class ItemView:
    """What the annotator sees: the passage, its context, and the model's suggestion."""

    passage_id: str
    content_hash: str
    text: str
    context: str
    speaker: str | None
    role: str
    party: str | None
    date: str
    source_type: str
    url: str | None
    suggestion: dict  # label -> (probability, decision, evidence)
    model_version: str | None


def item_view(con: duckdb.DuckDBPyConnection, item: QueueItem) -> ItemView | None:
    """The passage behind a queue item, if its text is still current."""
    row = con.execute(
        "SELECT text, coalesce(context, ''), speaker, role, party, date::VARCHAR, source_type, url FROM passages"
        " WHERE passage_id = ? AND content_hash = ?", [item.passage_id, item.content_hash]).fetchall()
    if not row:
        return None
    labels = con.execute(
        "SELECT l.label, l.probability, l.decision, l.evidence, l.model_version FROM labels AS l"
        " JOIN models AS m ON m.model_version = l.model_version AND m.is_current"
        " WHERE l.passage_id = ? AND l.content_hash = ?", [item.passage_id, item.content_hash]).fetchall()
    suggestion = {label: (p, decision, evidence) for label, p, decision, evidence, _ in labels}
    model = labels[0][4] if labels else None
    return ItemView(item.passage_id, item.content_hash, *row[0], suggestion, model)
