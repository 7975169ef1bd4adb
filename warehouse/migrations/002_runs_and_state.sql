-- Run accounting: every discovered item ends a run in exactly one state (CONTRACTS.md).

CREATE SEQUENCE run_ids START 1;

CREATE TABLE runs (
    run_id            BIGINT PRIMARY KEY,
    flow              VARCHAR NOT NULL,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP,
    status            VARCHAR NOT NULL,         -- running | completed | failed
    transport         VARCHAR,
    discovered        INTEGER NOT NULL DEFAULT 0,
    loaded            INTEGER NOT NULL DEFAULT 0,
    unchanged         INTEGER NOT NULL DEFAULT 0,
    skipped           INTEGER NOT NULL DEFAULT 0,
    quarantined       INTEGER NOT NULL DEFAULT 0,
    failed_transient  INTEGER NOT NULL DEFAULT 0,
    passages_loaded   INTEGER NOT NULL DEFAULT 0,
    passages_removed  INTEGER NOT NULL DEFAULT 0,
    skipped_reasons   JSON,
    notes             JSON,
    error             VARCHAR
);

CREATE TABLE run_items (
    run_id       BIGINT NOT NULL,
    source       VARCHAR NOT NULL,
    item_id      VARCHAR NOT NULL,
    state        VARCHAR NOT NULL,              -- loaded | unchanged | skipped | quarantined | failed_transient
    reason       VARCHAR,                       -- skip reason from the fixed list
    error        VARCHAR,
    document_id  VARCHAR,
    cursor       VARCHAR,
    PRIMARY KEY (run_id, source, item_id)
);

CREATE SEQUENCE quarantine_ids START 1;

CREATE TABLE quarantine (
    quarantine_id  BIGINT PRIMARY KEY,
    run_id         BIGINT NOT NULL,
    source         VARCHAR NOT NULL,
    item_id        VARCHAR NOT NULL,
    url            VARCHAR,
    stage          VARCHAR NOT NULL,            -- fetch | parse | classify | load | validate
    error          VARCHAR NOT NULL,
    raw_sha256     VARCHAR,                     -- the raw bytes, kept in the archive for a retry
    created_at     TIMESTAMP NOT NULL,
    resolved_run   BIGINT,
    resolved_at    TIMESTAMP
);

CREATE TABLE watermarks (
    source      VARCHAR PRIMARY KEY,
    cursor      VARCHAR NOT NULL,               -- moves only after the load that covers it commits
    run_id      BIGINT,                         -- bookkeeping
    updated_at  TIMESTAMP                       -- bookkeeping
);
