-- Question: Which passages use the explicit trait vocabulary, who said them, and where can I read them?
-- The explicit vocabulary is the IfG paper's own words for the five traits (CODEBOOK.md). One row
-- per passage the current model flags, newest first, with the phrase that triggered the flag.

WITH passages AS (
    SELECT passage_id, date, speaker, role, party, source_type, url, text FROM v_passages
),
flagged AS (
    SELECT passage_id FROM v_passage_labels WHERE explicit_trait_vocabulary
),
evidence AS (
    SELECT passage_id, evidence FROM v_passage_evidence WHERE label = 'explicit_trait_vocabulary'
),
final AS (
    SELECT p.date, p.speaker, p.role, p.party, p.source_type, e.evidence AS phrase, p.url,
           p.passage_id, p.text
    FROM flagged AS f
    JOIN passages AS p USING (passage_id)
    LEFT JOIN evidence AS e USING (passage_id)
    ORDER BY p.date DESC, p.passage_id
)
SELECT * FROM final;
