-- Speakers who have used the explicit vocabulary: the date of their first use, their role and
-- party at it, and the share of their relevant passages carrying any trait frame before that
-- date and from it on (both by the current model's decisions). Summed from the per-quarter
-- rows of trend_speaker_quarters: quarters before the first use count wholly before it, later
-- ones wholly after, and the quarter of the first use splits at it.
WITH first_use AS (
    SELECT speaker_key,
           min(first_use) AS first_explicit_use,
           first(quarter ORDER BY first_use, first_passage) AS first_quarter,
           first(speaker_id ORDER BY first_use, first_passage) AS speaker_id,
           first(speaker ORDER BY first_use, first_passage) AS speaker,
           first(role ORDER BY first_use, first_passage) AS role,
           first(party ORDER BY first_use, first_passage) AS party
    FROM trend_speaker_quarters
    WHERE first_use IS NOT NULL
    GROUP BY speaker_key
),
counts AS (
    SELECT s.speaker_key,
           sum(CASE WHEN s.quarter < f.first_quarter THEN s.n_relevant
                    WHEN s.quarter = f.first_quarter THEN s.n_relevant_pre ELSE 0 END) AS n_relevant_before,
           sum(CASE WHEN s.quarter > f.first_quarter THEN s.n_relevant
                    WHEN s.quarter = f.first_quarter THEN s.n_relevant - s.n_relevant_pre ELSE 0 END) AS n_relevant_after,
           sum(CASE WHEN s.quarter < f.first_quarter THEN s.n_trait
                    WHEN s.quarter = f.first_quarter THEN s.n_trait_pre ELSE 0 END) AS n_trait_before,
           sum(CASE WHEN s.quarter > f.first_quarter THEN s.n_trait
                    WHEN s.quarter = f.first_quarter THEN s.n_trait - s.n_trait_pre ELSE 0 END) AS n_trait_after
    FROM trend_speaker_quarters AS s
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
