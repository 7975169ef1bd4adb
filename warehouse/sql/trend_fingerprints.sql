-- A fingerprint of every quarter's passages, labels and gold annotations: the refresh
-- recomputes only the quarters whose fingerprint moved.
WITH passages AS (
    SELECT quarter, count(*) AS n,
           sum(hash(passage_id, content_hash, date, source_type, role, party, department, speaker_id, speaker, relevant, p_relevant, blob, p_blob, hero, p_hero, advice, p_advice, delivery, p_delivery, candour, p_candour, understanding, p_understanding, impartiality, p_impartiality, explicit_trait_vocabulary, model_version)) % 18446744073709551557 AS h
    FROM stg_trend_passages
    GROUP BY quarter
),
gold AS (
    SELECT s.quarter, sum(hash(a.annotation_id, a.relevant, a.frames, a.explicit_trait_vocabulary,
                               a.p_inclusion, a.stream, a.codebook_version)) % 18446744073709551557 AS h
    FROM annotations AS a
    JOIN stg_trend_passages AS s USING (passage_id, content_hash)
    GROUP BY s.quarter
),
final AS (
    SELECT p.quarter, p.n, p.h::VARCHAR || ':' || coalesce(g.h::VARCHAR, '-') AS fingerprint
    FROM passages AS p
    LEFT JOIN gold AS g USING (quarter)
)
SELECT * FROM final
ORDER BY quarter;
