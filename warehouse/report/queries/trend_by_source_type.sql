-- Every frame's quarterly share by source type, and pooled (grp = 'all'): the contract view.
SELECT quarter, frame, source_type AS grp, n_passages, n_relevant, share, ci_low, ci_high, low_n
FROM trend_frame_quarterly
ORDER BY quarter, frame, grp
