-- The adoption index as the trends work computes it (warehouse/METHODS.md), per dimension
-- (all, source_type, role, party, ...) and group. Not a CONTRACTS.md view: read when present.
SELECT quarter, dimension, grp, n_relevant, adoption_index, ci_low, ci_high, low_n
FROM trend_adoption_quarterly
ORDER BY quarter, dimension, grp NULLS LAST
