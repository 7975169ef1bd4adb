-- Per speaker x quarter of the staged quarters (the temp table trend_staged): the first
-- explicit use in the quarter with the speaker's id, name, role and party at it (ordered by
-- date, then passage id), and relevant / trait-carrying passage counts, in all and before that
-- first use. speaker_adoption.sql adds the quarters up.
WITH staged AS (
    SELECT *,
           coalesce(speaker_id, 'name:' || speaker) AS speaker_key,
           (advice OR delivery OR candour OR understanding OR impartiality) AS any_trait
    FROM trend_staged
    WHERE speaker_id IS NOT NULL OR speaker IS NOT NULL
),
explicit AS (
    SELECT quarter, speaker_key, date AS first_use, passage_id AS first_passage,
           speaker_id, speaker, role, party
    FROM staged
    WHERE explicit_trait_vocabulary
    QUALIFY row_number() OVER (PARTITION BY quarter, speaker_key ORDER BY date, passage_id) = 1
),
counts AS (
    SELECT s.quarter, s.speaker_key,
           count(*) FILTER (WHERE s.relevant) AS n_relevant,
           count(*) FILTER (WHERE s.relevant AND s.any_trait) AS n_trait,
           count(*) FILTER (WHERE s.relevant AND s.date < e.first_use) AS n_relevant_pre,
           count(*) FILTER (WHERE s.relevant AND s.any_trait AND s.date < e.first_use) AS n_trait_pre
    FROM staged AS s
    LEFT JOIN explicit AS e USING (quarter, speaker_key)
    GROUP BY s.quarter, s.speaker_key
),
final AS (
    SELECT c.quarter, c.speaker_key, e.first_use, e.first_passage, e.speaker_id, e.speaker, e.role, e.party,
           c.n_relevant, c.n_trait, c.n_relevant_pre, c.n_trait_pre
    FROM counts AS c
    LEFT JOIN explicit AS e USING (quarter, speaker_key)
    WHERE c.n_relevant > 0 OR e.first_use IS NOT NULL
)
SELECT * FROM final;
