-- The latest run: its status and per-item counts, and what it noted (failed sources, say).
SELECT run_id, flow, status, discovered, loaded, unchanged, skipped, quarantined,
       failed_transient, notes
FROM runs
ORDER BY run_id DESC
LIMIT 1
