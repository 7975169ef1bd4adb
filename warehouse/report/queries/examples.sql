-- Passages of one quarter that the current model gave one label, strongest first, with the
-- evidence span behind the label; at most one per speaker, so the examples are several voices.
WITH current_model AS (
    SELECT model_version FROM models WHERE is_current
),
labelled AS (
    SELECT l.passage_id, l.probability, l.evidence
    FROM labels AS l
    JOIN passages AS p USING (passage_id, content_hash)
    WHERE l.model_version IN (SELECT model_version FROM current_model)
      AND l.label = $label AND l.decision
      AND p.date BETWEEN $start AND $end
),
ranked AS (
    SELECT p.passage_id, p.date, p.source, p.source_type, p.speaker, p.speaker_id, p.role,
           p.party, p.department, p.url, p.locator, p.text, l.probability, l.evidence,
           row_number() OVER (PARTITION BY coalesce(p.speaker_id, p.passage_id)
                              ORDER BY l.probability DESC, p.date, p.passage_id) AS nth
    FROM labelled AS l
    JOIN v_passages AS p USING (passage_id)
    JOIN v_passage_labels AS v USING (passage_id)
    WHERE v.relevant
),
final AS (
    SELECT * EXCLUDE (nth) FROM ranked WHERE nth = 1
)
SELECT * FROM final
ORDER BY evidence IS NULL, probability DESC, date, passage_id
LIMIT $limit
