-- The data's extent: the oldest and newest passage dates, and how many passages there are.
SELECT min(date) AS oldest, max(date) AS newest, count(*) AS n_passages
FROM v_passages
