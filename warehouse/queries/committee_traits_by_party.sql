-- Question: What share of committee evidence about the civil service uses trait language, by party?
-- Committee evidence = select-committee and inquiry transcripts (source_type 'committee_evidence').
-- Among passages the current model labels relevant: the share carrying at least one of the five
-- traits (advice, delivery, candour, understanding, impartiality), and each trait's share (0 to 1).
-- Witnesses without a party (officials, experts) are grouped as '(no party)'.

WITH passages AS (
    SELECT passage_id, coalesce(party, '(no party)') AS party
    FROM v_passages
    WHERE source_type = 'committee_evidence'
),
labels AS (
    SELECT passage_id, advice, delivery, candour, understanding, impartiality
    FROM v_passage_labels
    WHERE relevant
),
relevant AS (
    SELECT p.party, l.*,
           (l.advice OR l.delivery OR l.candour OR l.understanding OR l.impartiality) AS any_trait
    FROM passages AS p
    JOIN labels AS l USING (passage_id)
),
final AS (
    SELECT party,
           count(*) AS relevant_passages,
           round(avg(any_trait::INTEGER), 3) AS trait_share,
           round(avg(advice::INTEGER), 3) AS advice_share,
           round(avg(delivery::INTEGER), 3) AS delivery_share,
           round(avg(candour::INTEGER), 3) AS candour_share,
           round(avg(understanding::INTEGER), 3) AS understanding_share,
           round(avg(impartiality::INTEGER), 3) AS impartiality_share
    FROM relevant
    GROUP BY party
    ORDER BY relevant_passages DESC, party
)
SELECT * FROM final;
