-- Diffusion: of the speakers active in a quarter (one relevant passage or more), how many had
-- used the explicit trait vocabulary by the quarter's end; pooled, by party and by role.
WITH active AS (
    SELECT DISTINCT p.speaker_id, p.role, p.party, date_trunc('quarter', p.date) AS quarter_start
    FROM v_passages AS p
    JOIN v_passage_labels AS l USING (passage_id)
    WHERE l.relevant AND p.speaker_id IS NOT NULL
),
adopters AS (
    SELECT speaker_id, min(CAST(first_explicit_use AS DATE)) AS first_use
    FROM speaker_adoption
    GROUP BY speaker_id
),
flagged AS (
    SELECT a.*, coalesce(d.first_use < a.quarter_start + INTERVAL 3 MONTH, false) AS adopted
    FROM active AS a
    LEFT JOIN adopters AS d USING (speaker_id)
),
grouped AS (
    SELECT quarter_start, 'all' AS kind, 'all' AS grp, speaker_id, adopted FROM flagged
    UNION ALL
    SELECT quarter_start, 'party' AS kind, party AS grp, speaker_id, adopted FROM flagged
    UNION ALL
    SELECT quarter_start, 'role' AS kind, role AS grp, speaker_id, adopted FROM flagged
),
final AS (
    SELECT strftime(quarter_start, '%Y') || '-Q' || quarter(quarter_start) AS quarter, kind, grp,
           count(DISTINCT speaker_id) AS n_active,
           count(DISTINCT speaker_id) FILTER (WHERE adopted) AS n_adopted
    FROM grouped
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY kind, grp NULLS LAST, quarter
