-- The model the views read (is_current), with its codebook version and model card.
SELECT model_version, codebook_version, kind, card
FROM models
WHERE is_current
