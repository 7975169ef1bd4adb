-- Question: When the model calls a passage 'hero' (success or failure put down to individuals),
-- what in the text made it say so? The evidence sentence behind each hero label since 2025.

WITH evidence AS (
    SELECT passage_id, probability, evidence, model_version
    FROM v_passage_evidence
    WHERE label = 'hero'
),
passages AS (
    SELECT passage_id, date, speaker, source_type, url FROM v_passages WHERE date >= DATE '2025-01-01'
),
final AS (
    SELECT p.date, p.speaker, p.source_type, round(e.probability, 3) AS p_hero, e.evidence, p.url,
           e.model_version
    FROM evidence AS e
    JOIN passages AS p USING (passage_id)
    ORDER BY p.date DESC, p.passage_id
)
SELECT * FROM final;
