-- The adoption index as the trend estimator computes it (warehouse/METHODS.md §1), per
-- dimension (all, source_type, role, party) and group.
SELECT quarter, dimension, grp, n_relevant, adoption_index, ci_low, ci_high, low_n
FROM trend_adoption_quarterly
WHERE dimension IN ('all', 'source_type', 'role', 'party')
ORDER BY quarter, dimension, grp NULLS LAST
