-- How the quarter's frame shares (pooled and by source type) were estimated, warehouse/METHODS.md
-- §2: 'rogan-gladen' (corrected for measured classifier error), 'ppi' (from human gold
-- annotations) or 'uncorrected' (the model has no measured error rates).
SELECT method, count(*) AS n_estimates
FROM trend_estimates
WHERE period_kind = 'quarter' AND period = $quarter AND dimension IN ('all', 'source_type')
  AND label NOT IN ('relevant', 'adoption_index')
GROUP BY method
ORDER BY method
