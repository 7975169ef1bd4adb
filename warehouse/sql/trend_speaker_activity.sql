-- The speakers active (a relevant passage) in each staged quarter (trend_staged), pooled and
-- by the party and role they spoke with: trend_diffusion.sql counts them.
WITH staged AS (
    SELECT quarter, coalesce(speaker_id, 'name:' || speaker) AS speaker_key, role, party
    FROM trend_staged
    WHERE relevant AND (speaker_id IS NOT NULL OR speaker IS NOT NULL)
),
final AS (
    SELECT DISTINCT quarter, speaker_key, 'all' AS dimension, 'all' AS grp FROM staged
    UNION
    SELECT DISTINCT quarter, speaker_key, 'party' AS dimension, party AS grp FROM staged
    UNION
    SELECT DISTINCT quarter, speaker_key, 'role' AS dimension, role AS grp FROM staged
)
SELECT * FROM final;
