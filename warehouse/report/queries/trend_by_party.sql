-- Every frame's quarterly share by the speaker's party at the date (NULL: none recorded).
SELECT quarter, frame, party AS grp, n_passages, n_relevant, share, ci_low, ci_high, low_n
FROM trend_frame_quarterly_by_party
ORDER BY quarter, frame, grp NULLS LAST
