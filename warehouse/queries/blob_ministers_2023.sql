-- Question: Which ministers used blob language most in 2023?
-- One row per speaker who was a minister at the date of the passage, with how many of their
-- 2023 passages the current model labels relevant and blob, and the blob share of their relevant
-- passages (0 to 1). Ordered by blob passages, then share.

WITH passages AS (
    SELECT passage_id, coalesce(speaker_id, speaker) AS who, speaker, party
    FROM v_passages
    WHERE role = 'minister' AND date >= DATE '2023-01-01' AND date < DATE '2024-01-01'
),
labels AS (
    SELECT passage_id, relevant, blob FROM v_passage_labels
),
per_minister AS (
    SELECT who,
           any_value(speaker) AS speaker,
           any_value(party) AS party,
           count(*) FILTER (WHERE l.relevant) AS relevant_passages,
           count(*) FILTER (WHERE l.blob) AS blob_passages
    FROM passages AS p
    JOIN labels AS l USING (passage_id)
    GROUP BY who
),
final AS (
    SELECT speaker, party, blob_passages, relevant_passages,
           round(blob_passages / relevant_passages, 3) AS blob_share
    FROM per_minister
    WHERE blob_passages > 0
    ORDER BY blob_passages DESC, blob_share DESC, speaker
    LIMIT 20
)
SELECT * FROM final;
