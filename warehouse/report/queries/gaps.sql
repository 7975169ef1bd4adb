-- Months of the quarter in which a source that had already started has no passages at all
-- (a recess, a source that was down, or one that has stopped).
WITH months AS (
    SELECT CAST(m AS DATE) AS month
    FROM generate_series(CAST($start AS DATE), CAST($end AS DATE), INTERVAL 1 MONTH) AS t(m)
),
sources AS (
    SELECT source, min(date) AS first_date FROM passages GROUP BY source
),
monthly AS (
    SELECT source, CAST(date_trunc('month', date) AS DATE) AS month, count(*) AS n
    FROM passages
    WHERE date BETWEEN $start AND $end
    GROUP BY ALL
),
final AS (
    SELECT s.source, m.month
    FROM sources AS s
    CROSS JOIN months AS m
    LEFT JOIN monthly AS c ON c.source = s.source AND c.month = m.month
    WHERE c.n IS NULL AND s.first_date < m.month
)
SELECT * FROM final
ORDER BY source, month
