-- Speakers who have used the explicit vocabulary: the date of their first use, their role and
-- party at it, and the share of their relevant passages carrying any trait frame before that
-- date and from it on (both by the current model's decisions).
WITH staged AS (
    SELECT *,
           coalesce(speaker_id, 'name:' || speaker) AS speaker_key,
           (advice OR delivery OR candour OR understanding OR impartiality) AS any_trait
    FROM stg_trend_passages
    WHERE speaker_id IS NOT NULL OR speaker IS NOT NULL
),
first_use AS (
    SELECT speaker_key,
           min(date) AS first_explicit_use,
           first(speaker_id ORDER BY date, passage_id) AS speaker_id,
           first(speaker ORDER BY date, passage_id) AS speaker,
           first(role ORDER BY date, passage_id) AS role,
           first(party ORDER BY date, passage_id) AS party
    FROM staged
    WHERE explicit_trait_vocabulary
    GROUP BY speaker_key
),
counts AS (
    SELECT s.speaker_key,
           count(*) FILTER (WHERE s.relevant AND s.date < f.first_explicit_use) AS n_relevant_before,
           count(*) FILTER (WHERE s.relevant AND s.date >= f.first_explicit_use) AS n_relevant_after,
           count(*) FILTER (WHERE s.relevant AND s.any_trait AND s.date < f.first_explicit_use) AS n_trait_before,
           count(*) FILTER (WHERE s.relevant AND s.any_trait AND s.date >= f.first_explicit_use) AS n_trait_after
    FROM staged AS s
    JOIN first_use AS f USING (speaker_key)
    GROUP BY s.speaker_key
),
final AS (
    SELECT f.speaker_key, f.speaker_id, f.speaker, f.role, f.party, f.first_explicit_use,
           c.n_relevant_before, c.n_relevant_after,
           CASE WHEN c.n_relevant_before > 0 THEN c.n_trait_before / c.n_relevant_before END AS trait_share_before,
           CASE WHEN c.n_relevant_after > 0 THEN c.n_trait_after / c.n_relevant_after END AS trait_share_after,
           $model_version AS model_version
    FROM first_use AS f
    JOIN counts AS c USING (speaker_key)
)
SELECT * FROM final
ORDER BY first_explicit_use, speaker_key;
