-- Gold annotations (the random gold stream, with inclusion probabilities) on the current text
-- of passages in the quarters being refreshed (staged from trend_passages into the temp table
-- trend_staged), with the current model's probabilistic counts.
-- Several annotators of one passage are averaged (the target is the expected annotation).
WITH annotations AS (
    SELECT a.passage_id, a.content_hash, a.relevant, a.frames, a.explicit_trait_vocabulary,
           coalesce(a.p_inclusion, s.p_inclusion) AS p_inclusion
    FROM annotations AS a
    LEFT JOIN gold_sample AS s
        ON s.passage_id = a.passage_id AND s.content_hash = a.content_hash AND s.design = a.sample_design
    WHERE a.stream = 'gold' AND a.codebook_version = $codebook
),
per_passage AS (
    SELECT passage_id, content_hash,
           avg(relevant::INTEGER) AS y_relevant,
           avg(list_contains(frames, 'blob')::INTEGER) AS y_blob,
           avg(list_contains(frames, 'hero')::INTEGER) AS y_hero,
           avg(list_contains(frames, 'advice')::INTEGER) AS y_advice,
           avg(list_contains(frames, 'delivery')::INTEGER) AS y_delivery,
           avg(list_contains(frames, 'candour')::INTEGER) AS y_candour,
           avg(list_contains(frames, 'understanding')::INTEGER) AS y_understanding,
           avg(list_contains(frames, 'impartiality')::INTEGER) AS y_impartiality,
           avg(explicit_trait_vocabulary::INTEGER) AS y_explicit_trait_vocabulary,
           any_value(p_inclusion) AS p_inclusion
    FROM annotations
    WHERE p_inclusion > 0
    GROUP BY passage_id, content_hash
),
staged AS (
    SELECT * FROM trend_staged
),
final AS (
    SELECT s.quarter, s.month, s.source_type, s.role, s.party, s.department, g.p_inclusion,
           g.y_relevant, g.y_blob, g.y_hero, g.y_advice, g.y_delivery, g.y_candour, g.y_understanding, g.y_impartiality, g.y_explicit_trait_vocabulary,
           p_relevant AS h_relevant,
           p_relevant * p_blob AS h_blob,
           p_relevant * p_hero AS h_hero,
           p_relevant * p_advice AS h_advice,
           p_relevant * p_delivery AS h_delivery,
           p_relevant * p_candour AS h_candour,
           p_relevant * p_understanding AS h_understanding,
           p_relevant * p_impartiality AS h_impartiality,
           explicit_trait_vocabulary::INTEGER AS h_explicit_trait_vocabulary
    FROM per_passage AS g
    JOIN staged AS s USING (passage_id, content_hash)
)
SELECT * FROM final;
