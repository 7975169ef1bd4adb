-- New rows of trend_passages for the marked passages (temp table trend_marked) that exist now:
-- their current metadata, with the decisions on their current text that a label write logged
-- since the last refresh (trend_dirty_passages), else those trend_passages already holds for
-- that text (its labels were not rewritten: any rewrite is logged). `known` is false for a
-- text with neither (the refresh then aggregates its labels: trend_passage_rows.sql).
WITH current AS (
    SELECT passage_id, content_hash, date, source_type, role, party, department, speaker_id, speaker
    FROM passages
    WHERE passage_id IN (SELECT passage_id FROM trend_marked)
),
logged AS (
    SELECT * EXCLUDE (marked_at) FROM trend_dirty_passages
    WHERE content_hash IS NOT NULL AND model_version = $model
),
held AS (
    SELECT * EXCLUDE (held_row) FROM trend_held       -- the trend_passages rows of the marked passages
),
final AS (
    SELECT c.passage_id, c.content_hash, c.date,
           strftime(c.date, '%Y') || '-Q' || quarter(c.date) AS quarter,
           strftime(c.date, '%Y-%m') AS month,
           c.source_type, c.role, c.party, c.department, c.speaker_id, c.speaker,
           CASE WHEN l.passage_id IS NOT NULL THEN l.relevant ELSE h.relevant END AS relevant,
           CASE WHEN l.passage_id IS NOT NULL THEN l.p_relevant ELSE h.p_relevant END AS p_relevant,
           CASE WHEN l.passage_id IS NOT NULL THEN l.blob ELSE h.blob END AS blob,
           CASE WHEN l.passage_id IS NOT NULL THEN l.p_blob ELSE h.p_blob END AS p_blob,
           CASE WHEN l.passage_id IS NOT NULL THEN l.hero ELSE h.hero END AS hero,
           CASE WHEN l.passage_id IS NOT NULL THEN l.p_hero ELSE h.p_hero END AS p_hero,
           CASE WHEN l.passage_id IS NOT NULL THEN l.advice ELSE h.advice END AS advice,
           CASE WHEN l.passage_id IS NOT NULL THEN l.p_advice ELSE h.p_advice END AS p_advice,
           CASE WHEN l.passage_id IS NOT NULL THEN l.delivery ELSE h.delivery END AS delivery,
           CASE WHEN l.passage_id IS NOT NULL THEN l.p_delivery ELSE h.p_delivery END AS p_delivery,
           CASE WHEN l.passage_id IS NOT NULL THEN l.candour ELSE h.candour END AS candour,
           CASE WHEN l.passage_id IS NOT NULL THEN l.p_candour ELSE h.p_candour END AS p_candour,
           CASE WHEN l.passage_id IS NOT NULL THEN l.understanding ELSE h.understanding END AS understanding,
           CASE WHEN l.passage_id IS NOT NULL THEN l.p_understanding ELSE h.p_understanding END AS p_understanding,
           CASE WHEN l.passage_id IS NOT NULL THEN l.impartiality ELSE h.impartiality END AS impartiality,
           CASE WHEN l.passage_id IS NOT NULL THEN l.p_impartiality ELSE h.p_impartiality END AS p_impartiality,
           CASE WHEN l.passage_id IS NOT NULL THEN l.explicit_trait_vocabulary
                ELSE h.explicit_trait_vocabulary END AS explicit_trait_vocabulary,
           CASE WHEN l.passage_id IS NOT NULL THEN l.model_version ELSE h.model_version END AS model_version,
           l.passage_id IS NOT NULL OR h.passage_id IS NOT NULL AS known
    FROM current AS c
    LEFT JOIN logged AS l ON l.passage_id = c.passage_id AND l.content_hash = c.content_hash
    LEFT JOIN held AS h ON h.passage_id = c.passage_id AND h.content_hash = c.content_hash
)
SELECT * FROM final;
