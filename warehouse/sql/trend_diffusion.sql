-- The diffusion curve: per quarter and group, the speakers active in it (at least one relevant
-- passage; trend_speaker_activity) and how many of them had used the explicit vocabulary by
-- the quarter's end. Reads speaker_adoption_stats, so it runs after speaker_adoption.sql.
WITH adopters AS (
    SELECT speaker_key,
           strftime(first_explicit_use, '%Y') || '-Q' || quarter(first_explicit_use) AS adopted_in
    FROM speaker_adoption_stats
),
final AS (
    SELECT a.quarter, a.dimension, a.grp,
           count(*) AS n_active,
           count(*) FILTER (WHERE d.adopted_in <= a.quarter) AS n_adopted,
           count(*) FILTER (WHERE d.adopted_in <= a.quarter) / count(*) AS share_adopted,
           $model_version AS model_version
    FROM trend_speaker_activity AS a
    LEFT JOIN adopters AS d USING (speaker_key)
    GROUP BY a.quarter, a.dimension, a.grp
)
SELECT * FROM final
ORDER BY quarter, dimension, grp NULLS LAST;
