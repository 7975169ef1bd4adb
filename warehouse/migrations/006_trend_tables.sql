-- Materialised trend tables, written by warehouse.trends.refresh.refresh_trends(con) after each
-- load; the contract views of 007 read them. The estimator is in warehouse/METHODS.md.

-- One row per period x group x label: every estimate the trend views show, with its method.
CREATE TABLE trend_estimates (
    period_kind   VARCHAR NOT NULL,          -- quarter | month
    period        VARCHAR NOT NULL,          -- 'YYYY-Qn' or 'YYYY-MM'
    quarter       VARCHAR NOT NULL,          -- the quarter the period falls in
    dimension     VARCHAR NOT NULL,          -- all | source_type | role | party | department
    grp           VARCHAR,                   -- the group's value; 'all' when pooled; NULL = not recorded
    label         VARCHAR NOT NULL,          -- relevant | the 7 frames | explicit_trait_vocabulary | adoption_index
    n_passages    INTEGER NOT NULL,
    n_relevant    INTEGER NOT NULL,          -- passages decided relevant
    n_label       INTEGER,                   -- passages decided to carry the label (NULL for the index)
    share_raw     DOUBLE,                    -- decided share, uncorrected
    share_pcc     DOUBLE,                    -- probabilistic count: sum P(rel) P(label|rel) / sum P(rel)
    share         DOUBLE,                    -- corrected estimate, 0-1; NULL when undefined
    ci_low        DOUBLE,
    ci_high       DOUBLE,
    low_n         BOOLEAN NOT NULL,          -- n_relevant < 30 (n_passages < 30 for 'relevant')
    method        VARCHAR NOT NULL,          -- rogan-gladen | ppi | uncorrected
    n_gold        INTEGER NOT NULL DEFAULT 0,
    model_version VARCHAR NOT NULL
);

-- Detected changes in the quarterly decided share of each frame x group.
CREATE TABLE trend_change_points (
    dimension     VARCHAR NOT NULL,
    grp           VARCHAR,
    frame         VARCHAR NOT NULL,
    quarter       VARCHAR NOT NULL,          -- the first quarter after the change
    direction     VARCHAR NOT NULL,          -- up | down
    magnitude     DOUBLE NOT NULL,           -- |corrected share after - before|, segment means, 0-1
    share_before  DOUBLE,
    share_after   DOUBLE,
    score         DOUBLE NOT NULL,           -- split chi-square / dispersion (METHODS.md §3)
    p_value       DOUBLE NOT NULL,           -- against the series' own no-change simulations
    model_version VARCHAR NOT NULL
);

-- Per speaker who has used the explicit vocabulary: first use, trait share before and after.
CREATE TABLE speaker_adoption_stats (
    speaker_key         VARCHAR PRIMARY KEY, -- speaker_id, or 'name:' || speaker when there is no id
    speaker_id          VARCHAR,
    speaker             VARCHAR,
    role                VARCHAR,             -- at the first use
    party               VARCHAR,             -- at the first use
    first_explicit_use  DATE NOT NULL,
    n_relevant_before   INTEGER NOT NULL,
    n_relevant_after    INTEGER NOT NULL,
    trait_share_before  DOUBLE,              -- NULL when no relevant passage before
    trait_share_after   DOUBLE,
    model_version       VARCHAR NOT NULL
);

-- The diffusion curve: of the speakers active (a relevant passage) in a quarter, how many had
-- used the explicit vocabulary by the quarter's end.
CREATE TABLE trend_diffusion (
    quarter        VARCHAR NOT NULL,
    dimension      VARCHAR NOT NULL,         -- all | party | role
    grp            VARCHAR,
    n_active       INTEGER NOT NULL,
    n_adopted      INTEGER NOT NULL,
    share_adopted  DOUBLE NOT NULL,
    model_version  VARCHAR NOT NULL
);

-- What the materialised tables were computed from: a fingerprint per quarter (every quarter
-- from the first passage to the last), and one row '*' for the model, error model and settings.
CREATE TABLE trend_refresh_state (
    quarter       VARCHAR PRIMARY KEY,
    fingerprint   VARCHAR NOT NULL,
    n_passages    BIGINT NOT NULL,
    refreshed_at  TIMESTAMP                  -- bookkeeping
);
