-- Human annotations: gold labels that feed evaluation, PPI-style trend estimates and retraining.
-- Never touched by a reload: keyed by passage id and the text hash they were made on.

CREATE SEQUENCE annotation_ids START 1;

CREATE TABLE annotations (
    annotation_id     BIGINT PRIMARY KEY,
    passage_id        VARCHAR NOT NULL,
    content_hash      VARCHAR NOT NULL,             -- the text the annotator saw
    annotator         VARCHAR NOT NULL,
    relevant          BOOLEAN NOT NULL,
    frames            VARCHAR[] NOT NULL,           -- subset of the codebook frames; [] when not relevant
    explicit_trait_vocabulary BOOLEAN NOT NULL,
    codebook_version  VARCHAR NOT NULL,
    stream            VARCHAR NOT NULL,             -- gold | active | overlap
    sample_design     VARCHAR NOT NULL,             -- e.g. 'gold:uniform-by-quarter:v1', 'active:uncertainty'
    p_inclusion       DOUBLE,                       -- the sampling probability (gold stream), for PPI
    model_version     VARCHAR,                      -- the suggestion shown, if any
    session_id        VARCHAR,
    annotated_at      TIMESTAMP NOT NULL
);

-- The random gold sample: drawn with known inclusion probabilities, queued for annotation.
CREATE TABLE gold_sample (
    passage_id    VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    design        VARCHAR NOT NULL,
    stratum       VARCHAR NOT NULL,                 -- e.g. the quarter
    p_inclusion   DOUBLE NOT NULL,
    drawn_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (passage_id, design)
);
