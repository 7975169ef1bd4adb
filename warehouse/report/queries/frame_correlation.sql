-- How the frames co-occur in relevant passages (current model): the pairwise correlation of
-- their hard labels, used to combine the frames' intervals into the adoption index's interval.
WITH relevant AS (
    SELECT passage_id, blob, hero, advice, delivery, candour, understanding, impartiality
    FROM v_passage_labels
    WHERE relevant
),
long AS (
    UNPIVOT relevant
    ON blob, hero, advice, delivery, candour, understanding, impartiality
    INTO NAME frame VALUE carries
),
pairs AS (
    SELECT a.frame AS frame_a, b.frame AS frame_b,
           CAST(a.carries AS DOUBLE) AS x, CAST(b.carries AS DOUBLE) AS y
    FROM long AS a
    JOIN long AS b USING (passage_id)
    WHERE a.frame < b.frame
),
final AS (
    SELECT frame_a, frame_b, corr(x, y) AS rho, count(*) AS n
    FROM pairs
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY frame_a, frame_b
