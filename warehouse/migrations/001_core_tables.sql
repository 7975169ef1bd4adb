-- Core content tables: documents, their passages, and the labels every model version gave them.
-- Constraints beside the schema; the ones DuckDB cannot enforce cheaply are checked by
-- warehouse/constraints.py and tested.

CREATE TABLE documents (
    document_id   VARCHAR PRIMARY KEY,          -- '<source>:<natural id>', stable across versions
    source        VARCHAR NOT NULL,             -- CONTRACTS.md source names
    source_type   VARCHAR NOT NULL,             -- speech | debate | committee_evidence | memoir_interview
    item_id       VARCHAR NOT NULL,
    version       VARCHAR NOT NULL DEFAULT '',  -- sortable: a lower version never replaces a higher one
    url           VARCHAR,
    title         VARCHAR,
    date          DATE NOT NULL,
    content_hash  VARCHAR NOT NULL,             -- hash over the stored passages and metadata
    raw_sha256    VARCHAR,                      -- the raw archive object it was parsed from
    n_passages    INTEGER NOT NULL,
    meta          JSON,
    loaded_run    BIGINT,                       -- bookkeeping (excluded from content checksums)
    loaded_at     TIMESTAMP                     -- bookkeeping
);

CREATE TABLE passages (
    passage_id    VARCHAR PRIMARY KEY,
    document_id   VARCHAR NOT NULL,             -- references documents(document_id)
    seq           INTEGER NOT NULL,             -- order within the document
    source        VARCHAR NOT NULL,
    source_type   VARCHAR NOT NULL,
    url           VARCHAR,
    locator       VARCHAR NOT NULL,
    date          DATE NOT NULL,
    speaker       VARCHAR,
    speaker_id    VARCHAR,
    role          VARCHAR NOT NULL,
    party         VARCHAR,
    department    VARCHAR,
    text          VARCHAR NOT NULL,
    context       VARCHAR,
    content_hash  VARCHAR NOT NULL
);

-- One row per passage text x model version x label ('relevant', the 7 frames,
-- 'explicit_trait_vocabulary'). Rows of earlier models stay: that is the label history.
CREATE TABLE labels (
    passage_id        VARCHAR NOT NULL,
    content_hash      VARCHAR NOT NULL,
    model_version     VARCHAR NOT NULL,
    codebook_version  VARCHAR NOT NULL,
    label             VARCHAR NOT NULL,
    probability       DOUBLE NOT NULL,          -- frames: P(frame | relevant); others: P(label)
    decision          BOOLEAN NOT NULL,
    evidence          VARCHAR,                  -- the span that drove a positive label
    labelled_at       TIMESTAMP                 -- bookkeeping
);

CREATE TABLE models (
    model_version     VARCHAR PRIMARY KEY,
    codebook_version  VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,         -- keywords | trained
    card              JSON,                     -- model card: encoder, data hash, thresholds, metrics
    registered_at     TIMESTAMP,
    is_current        BOOLEAN NOT NULL DEFAULT false
);
