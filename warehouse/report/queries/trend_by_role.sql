-- Every frame's quarterly share by the speaker's role at the date: the contract view.
SELECT quarter, frame, role AS grp, n_passages, n_relevant, share, ci_low, ci_high, low_n
FROM trend_frame_quarterly_by_role
ORDER BY quarter, frame, grp
