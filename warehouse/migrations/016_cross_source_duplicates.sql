-- The same text in two sources (a speech on GOV.UK and as a statement in Hansard) is kept as
-- two documents, never merged; this view links them. One row per ordered pair of documents
-- from different sources sharing at least one passage of 80 characters or more (same content
-- hash), with the share of the first document's passages found in the second.

CREATE OR REPLACE VIEW v_cross_source_duplicates AS
WITH passages_of_note AS (
    SELECT document_id, source, content_hash
    FROM passages
    WHERE length(text) >= 80
),
sizes AS (
    SELECT document_id, count(*) AS n_passages
    FROM passages
    GROUP BY document_id
),
shared AS (
    SELECT a.document_id, a.source, b.document_id AS linked_document_id, b.source AS linked_source,
           count(DISTINCT a.content_hash) AS shared_passages
    FROM passages_of_note AS a
    JOIN passages_of_note AS b ON a.content_hash = b.content_hash AND a.source <> b.source
    GROUP BY ALL
),
final AS (
    SELECT shared.document_id, shared.source, shared.linked_document_id, shared.linked_source,
           shared.shared_passages, shared.shared_passages / sizes.n_passages AS share_of_document
    FROM shared
    JOIN sizes USING (document_id)
)
SELECT * FROM final;
