-- What the annotation loop needs beside 005's tables.
-- - annotated_texts: the exact text (and context) an annotator saw, by content hash, so that
--   annotations stay usable for training after the passage is replaced or removed.
-- - gold_strata: the population size of each stratum when its gold sample was drawn, so that
--   p_inclusion can be recomputed for a partly annotated sample (m_h / N_h).

CREATE TABLE annotated_texts (
    content_hash  VARCHAR PRIMARY KEY,
    text          VARCHAR NOT NULL,
    context       VARCHAR
);

CREATE TABLE gold_strata (
    design      VARCHAR NOT NULL,              -- gold_sample.design
    stratum     VARCHAR NOT NULL,              -- e.g. '2023-Q4'
    population  INTEGER NOT NULL,              -- N_h: current passages in the stratum at the draw
    drawn       INTEGER NOT NULL,              -- n_h: passages drawn into gold_sample
    drawn_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (design, stratum),
    CHECK (drawn <= population AND drawn >= 0)
);
