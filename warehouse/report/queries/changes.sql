-- Detected change points: the first quarter after each change, its direction, size and score.
SELECT frame, source_type, quarter, direction, magnitude, score
FROM trend_changes
ORDER BY quarter, frame, source_type
