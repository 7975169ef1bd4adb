-- Speakers who have used the explicit trait vocabulary, in the order they first did.
SELECT speaker_id, speaker, role, party,
       CAST(first_explicit_use AS DATE) AS first_explicit_use,
       trait_share_before, trait_share_after
FROM speaker_adoption
ORDER BY first_explicit_use, speaker, speaker_id
