-- Items still in quarantine (not yet resolved by a retry), per source and stage, with one error.
SELECT source, stage, count(*) AS n_items, arg_min(error, item_id) AS example
FROM quarantine
WHERE resolved_at IS NULL
GROUP BY source, stage
ORDER BY source, stage
