-- What the quarter's figures rest on, per source: documents, passages, relevant passages,
-- speakers, and passages the current model has not labelled (a source with none shows zeros).
WITH sources AS (
    SELECT source, any_value(source_type) AS source_type FROM documents GROUP BY source
),
in_quarter AS (
    SELECT p.source, p.document_id, p.speaker_id,
           coalesce(l.relevant, false) AS relevant, l.passage_id IS NULL AS unlabelled
    FROM v_passages AS p
    LEFT JOIN v_passage_labels AS l USING (passage_id)
    WHERE p.date BETWEEN $start AND $end
),
counts AS (
    SELECT source, count(DISTINCT document_id) AS documents, count(*) AS passages,
           count(*) FILTER (WHERE relevant) AS relevant, count(DISTINCT speaker_id) AS speakers,
           count(*) FILTER (WHERE unlabelled) AS unlabelled
    FROM in_quarter
    GROUP BY source
),
final AS (
    SELECT s.source, s.source_type,
           coalesce(c.documents, 0) AS documents, coalesce(c.passages, 0) AS passages,
           coalesce(c.relevant, 0) AS relevant, coalesce(c.speakers, 0) AS speakers,
           coalesce(c.unlabelled, 0) AS unlabelled
    FROM sources AS s
    LEFT JOIN counts AS c USING (source)
)
SELECT * FROM final
ORDER BY passages DESC, source
