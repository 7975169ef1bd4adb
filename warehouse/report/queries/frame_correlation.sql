-- How the frames co-occur in relevant passages (current model): the pairwise correlation of
-- their hard labels, one column per pair 'a|b' (a < b), used to combine the frames' intervals
-- into the adoption index's interval. One scan of v_passage_labels.
WITH relevant AS (
    SELECT * FROM v_passage_labels WHERE relevant
)
SELECT
       corr(CAST(advice AS DOUBLE), CAST(blob AS DOUBLE)) AS "advice|blob",
       corr(CAST(advice AS DOUBLE), CAST(candour AS DOUBLE)) AS "advice|candour",
       corr(CAST(advice AS DOUBLE), CAST(delivery AS DOUBLE)) AS "advice|delivery",
       corr(CAST(advice AS DOUBLE), CAST(hero AS DOUBLE)) AS "advice|hero",
       corr(CAST(advice AS DOUBLE), CAST(impartiality AS DOUBLE)) AS "advice|impartiality",
       corr(CAST(advice AS DOUBLE), CAST(understanding AS DOUBLE)) AS "advice|understanding",
       corr(CAST(blob AS DOUBLE), CAST(candour AS DOUBLE)) AS "blob|candour",
       corr(CAST(blob AS DOUBLE), CAST(delivery AS DOUBLE)) AS "blob|delivery",
       corr(CAST(blob AS DOUBLE), CAST(hero AS DOUBLE)) AS "blob|hero",
       corr(CAST(blob AS DOUBLE), CAST(impartiality AS DOUBLE)) AS "blob|impartiality",
       corr(CAST(blob AS DOUBLE), CAST(understanding AS DOUBLE)) AS "blob|understanding",
       corr(CAST(candour AS DOUBLE), CAST(delivery AS DOUBLE)) AS "candour|delivery",
       corr(CAST(candour AS DOUBLE), CAST(hero AS DOUBLE)) AS "candour|hero",
       corr(CAST(candour AS DOUBLE), CAST(impartiality AS DOUBLE)) AS "candour|impartiality",
       corr(CAST(candour AS DOUBLE), CAST(understanding AS DOUBLE)) AS "candour|understanding",
       corr(CAST(delivery AS DOUBLE), CAST(hero AS DOUBLE)) AS "delivery|hero",
       corr(CAST(delivery AS DOUBLE), CAST(impartiality AS DOUBLE)) AS "delivery|impartiality",
       corr(CAST(delivery AS DOUBLE), CAST(understanding AS DOUBLE)) AS "delivery|understanding",
       corr(CAST(hero AS DOUBLE), CAST(impartiality AS DOUBLE)) AS "hero|impartiality",
       corr(CAST(hero AS DOUBLE), CAST(understanding AS DOUBLE)) AS "hero|understanding",
       corr(CAST(impartiality AS DOUBLE), CAST(understanding AS DOUBLE)) AS "impartiality|understanding"
FROM relevant
