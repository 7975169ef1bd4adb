-- Diffusion (the trends' definition, warehouse/METHODS.md §4): of the speakers active in a
-- quarter (one relevant passage or more), how many had used the explicit trait vocabulary by
-- the quarter's end; pooled, by party and by role.
SELECT quarter, dimension AS kind, grp, n_active, n_adopted
FROM trend_diffusion_quarterly
WHERE dimension IN ('all', 'party', 'role')
ORDER BY kind, grp NULLS LAST, quarter
