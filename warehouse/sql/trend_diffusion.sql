-- The diffusion curve: per quarter and group, the speakers active in it (at least one relevant
-- passage) and how many of them had used the explicit vocabulary by the quarter's end.
-- Reads speaker_adoption_stats, so it runs after speaker_adoption.sql.
WITH staged AS (
    SELECT quarter, coalesce(speaker_id, 'name:' || speaker) AS speaker_key, role, party
    FROM stg_trend_passages
    WHERE relevant AND (speaker_id IS NOT NULL OR speaker IS NOT NULL)
),
adopters AS (
    SELECT speaker_key,
           strftime(first_explicit_use, '%Y') || '-Q' || quarter(first_explicit_use) AS adopted_in
    FROM speaker_adoption_stats
),
active AS (
    SELECT DISTINCT quarter, speaker_key, 'all' AS dimension, 'all' AS grp FROM staged
    UNION
    SELECT DISTINCT quarter, speaker_key, 'party' AS dimension, party AS grp FROM staged
    UNION
    SELECT DISTINCT quarter, speaker_key, 'role' AS dimension, role AS grp FROM staged
),
final AS (
    SELECT a.quarter, a.dimension, a.grp,
           count(*) AS n_active,
           count(*) FILTER (WHERE d.adopted_in <= a.quarter) AS n_adopted,
           count(*) FILTER (WHERE d.adopted_in <= a.quarter) / count(*) AS share_adopted,
           $model_version AS model_version
    FROM active AS a
    LEFT JOIN adopters AS d USING (speaker_key)
    GROUP BY a.quarter, a.dimension, a.grp
)
SELECT * FROM final
ORDER BY quarter, dimension, grp NULLS LAST;
