-- Question: Is blob language fading? Its quarterly share since 2023, with 95% intervals.
-- From trend_frame_quarterly, pooled over source types ('all'). A quarter with fewer than 30
-- relevant passages is marked low_n: read its share with care.

WITH trend AS (
    SELECT quarter, share, ci_low, ci_high, n_relevant, low_n, model_version
    FROM trend_frame_quarterly
    WHERE frame = 'blob' AND source_type = 'all'
),
final AS (
    SELECT quarter, n_relevant, round(share, 3) AS blob_share, round(ci_low, 3) AS ci_low,
           round(ci_high, 3) AS ci_high, low_n, model_version
    FROM trend
    WHERE quarter >= '2023-Q1'
    ORDER BY quarter
)
SELECT * FROM final;
