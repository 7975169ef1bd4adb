-- Run accounting per source, for `whitehall status` and alerting (warehouse/health.py), and
-- one open quarantine row per item: a re-quarantined item counts attempts instead of adding rows.

CREATE TABLE run_sources (
    run_id            BIGINT NOT NULL,
    source            VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,         -- ok | failed (discovery failed, the source was down, or the run failed)
    error             VARCHAR,
    discovered        INTEGER NOT NULL DEFAULT 0,
    loaded            INTEGER NOT NULL DEFAULT 0,
    unchanged         INTEGER NOT NULL DEFAULT 0,
    skipped           INTEGER NOT NULL DEFAULT 0,
    quarantined       INTEGER NOT NULL DEFAULT 0,
    failed_transient  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, source)
);

ALTER TABLE quarantine ADD COLUMN attempts INTEGER DEFAULT 1;   -- runs that quarantined the item
ALTER TABLE quarantine ADD COLUMN last_run BIGINT;              -- the latest of them (bookkeeping)
