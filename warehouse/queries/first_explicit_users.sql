-- Question: Who took up the explicit trait vocabulary first, and how often have they used it since?
-- One row per speaker with at least one passage the current model flags for the explicit
-- vocabulary: the date of their first such passage, their role and party then, and their count.

WITH flagged AS (
    SELECT p.passage_id, coalesce(p.speaker_id, p.speaker) AS who, p.speaker, p.role, p.party, p.date
    FROM v_passages AS p
    JOIN v_passage_labels AS l USING (passage_id)
    WHERE l.explicit_trait_vocabulary
),
per_speaker AS (
    SELECT who,
           arg_min(speaker, date) AS speaker,
           arg_min(role, date) AS role_at_first_use,
           arg_min(party, date) AS party_at_first_use,
           min(date) AS first_use,
           count(*) AS explicit_passages
    FROM flagged
    GROUP BY who
),
final AS (
    SELECT speaker, role_at_first_use, party_at_first_use, first_use, explicit_passages
    FROM per_speaker
    ORDER BY first_use, explicit_passages DESC, speaker
)
SELECT * FROM final;
