-- Researcher-facing views, exactly as CONTRACTS.md gives them (warehouse/SCHEMA.md documents them).

CREATE OR REPLACE VIEW v_passages AS
SELECT passage_id, document_id, source, source_type, date, speaker, speaker_id, role, party,
       department, url, locator, text
FROM passages;

CREATE OR REPLACE VIEW v_passage_labels AS
WITH current_model AS (
    SELECT model_version FROM models WHERE is_current
),
current_labels AS (
    SELECT l.*
    FROM labels AS l
    JOIN passages AS p USING (passage_id, content_hash)
    WHERE l.model_version IN (SELECT model_version FROM current_model)
),
final AS (
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
        any_value(model_version)                                             AS model_version,
        any_value(codebook_version)                                          AS codebook_version
    FROM current_labels
    GROUP BY passage_id
)
SELECT * FROM final;
