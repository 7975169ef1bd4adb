-- Rows of trend_passages (the refresh's copy of stg_trend_passages, migration 018) for the
-- passages in the temp table trend_wanted (their current metadata), with their decisions
-- aggregated from the labels of the current model ($model), as v_passage_labels does. Only
-- those passages' labels are aggregated; a passage without labels of the model gets no row.
WITH wanted AS (
    SELECT passage_id, content_hash, date, source_type, role, party, department, speaker_id, speaker
    FROM trend_wanted
),
current_labels AS (
    SELECT l.passage_id, l.label, l.probability, l.decision, l.model_version
    FROM labels AS l
    JOIN wanted AS p USING (passage_id, content_hash)
    WHERE l.model_version = $model
),
decisions AS (
    SELECT
        passage_id,
        bool_or(decision) FILTER (WHERE label = 'relevant')                  AS relevant,
        max(probability)  FILTER (WHERE label = 'relevant')                  AS p_relevant,
        bool_or(decision) FILTER (WHERE label = 'blob')                      AS blob,
        max(probability)  FILTER (WHERE label = 'blob')                      AS p_blob,
        bool_or(decision) FILTER (WHERE label = 'hero')                      AS hero,
        max(probability)  FILTER (WHERE label = 'hero')                      AS p_hero,
        bool_or(decision) FILTER (WHERE label = 'advice')                    AS advice,
        max(probability)  FILTER (WHERE label = 'advice')                    AS p_advice,
        bool_or(decision) FILTER (WHERE label = 'delivery')                  AS delivery,
        max(probability)  FILTER (WHERE label = 'delivery')                  AS p_delivery,
        bool_or(decision) FILTER (WHERE label = 'candour')                   AS candour,
        max(probability)  FILTER (WHERE label = 'candour')                   AS p_candour,
        bool_or(decision) FILTER (WHERE label = 'understanding')             AS understanding,
        max(probability)  FILTER (WHERE label = 'understanding')             AS p_understanding,
        bool_or(decision) FILTER (WHERE label = 'impartiality')              AS impartiality,
        max(probability)  FILTER (WHERE label = 'impartiality')              AS p_impartiality,
        bool_or(decision) FILTER (WHERE label = 'explicit_trait_vocabulary') AS explicit_trait_vocabulary,
        any_value(model_version)                                             AS model_version
    FROM current_labels
    GROUP BY passage_id
),
final AS (
    SELECT p.passage_id, p.content_hash, p.date,
           strftime(p.date, '%Y') || '-Q' || quarter(p.date) AS quarter,
           strftime(p.date, '%Y-%m') AS month,
           p.source_type, p.role, p.party, p.department, p.speaker_id, p.speaker,
           l.relevant, l.p_relevant,
           l.blob, l.p_blob, l.hero, l.p_hero, l.advice, l.p_advice, l.delivery, l.p_delivery,
           l.candour, l.p_candour, l.understanding, l.p_understanding,
           l.impartiality, l.p_impartiality,
           l.explicit_trait_vocabulary, l.model_version
    FROM wanted AS p
    JOIN decisions AS l USING (passage_id)
)
SELECT * FROM final
ORDER BY date, passage_id;
