-- Question: Year by year, how much civil-service talk uses blob, hero or trait language, by source type?
-- Among passages the current model labels relevant, per calendar year and source type: how many
-- there are, and the share (0 to 1) carrying blob, hero, and at least one of the five traits.
-- For quarterly shares with intervals, use the trend_frame_quarterly view instead.

WITH passages AS (
    SELECT passage_id, year(date) AS year, source_type FROM v_passages
),
labels AS (
    SELECT passage_id, blob, hero,
           (advice OR delivery OR candour OR understanding OR impartiality) AS any_trait
    FROM v_passage_labels
    WHERE relevant
),
final AS (
    SELECT p.year, p.source_type,
           count(*) AS relevant_passages,
           round(avg(l.blob::INTEGER), 3) AS blob_share,
           round(avg(l.hero::INTEGER), 3) AS hero_share,
           round(avg(l.any_trait::INTEGER), 3) AS trait_share
    FROM passages AS p
    JOIN labels AS l USING (passage_id)
    GROUP BY ALL
    ORDER BY p.year, p.source_type
)
SELECT * FROM final;
