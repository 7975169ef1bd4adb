-- Change tracking for the trend refresh (warehouse/METHODS.md §6), so that its cost follows
-- what changed, not the size of the warehouse. Writers mark what they change in the
-- transaction of the change (warehouse/trends/dirty.py); the refresh consumes the marks and
-- clears them in its own transaction.

-- Passages inserted, deleted or relabelled since the last refresh, one row per mark (repeats
-- are harmless). A label write of the current model carries the decisions it wrote, as
-- v_passage_labels would give them for that passage text; other marks leave them NULL.
CREATE TABLE trend_dirty_passages (
    passage_id                 VARCHAR NOT NULL,
    content_hash               VARCHAR,      -- set with the decisions
    relevant                   BOOLEAN,
    p_relevant                 DOUBLE,
    blob                       BOOLEAN,
    p_blob                     DOUBLE,
    hero                       BOOLEAN,
    p_hero                     DOUBLE,
    advice                     BOOLEAN,
    p_advice                   DOUBLE,
    delivery                   BOOLEAN,
    p_delivery                 DOUBLE,
    candour                    BOOLEAN,
    p_candour                  DOUBLE,
    understanding              BOOLEAN,
    p_understanding            DOUBLE,
    impartiality               BOOLEAN,
    p_impartiality             DOUBLE,
    explicit_trait_vocabulary  BOOLEAN,
    model_version              VARCHAR,
    marked_at                  TIMESTAMP     -- bookkeeping
);

-- Quarters to estimate again though no passage in them changed (gold annotations, gold draws).
CREATE TABLE trend_dirty_quarters (
    quarter    VARCHAR NOT NULL,             -- 'YYYY-Qn'; repeats are harmless
    marked_at  TIMESTAMP
);

-- The refresh's own copy of stg_trend_passages (every current passage with the current
-- model's decisions), kept in date order where it can be. The refresh updates the rows of
-- marked passages and reads a quarter from here by date range, never the labels table.
CREATE TABLE trend_passages (
    passage_id                 VARCHAR NOT NULL,
    content_hash               VARCHAR NOT NULL,
    date                       DATE NOT NULL,
    quarter                    VARCHAR NOT NULL,
    month                      VARCHAR NOT NULL,
    source_type                VARCHAR,
    role                       VARCHAR,
    party                      VARCHAR,
    department                 VARCHAR,
    speaker_id                 VARCHAR,
    speaker                    VARCHAR,
    relevant                   BOOLEAN,
    p_relevant                 DOUBLE,
    blob                       BOOLEAN,
    p_blob                     DOUBLE,
    hero                       BOOLEAN,
    p_hero                     DOUBLE,
    advice                     BOOLEAN,
    p_advice                   DOUBLE,
    delivery                   BOOLEAN,
    p_delivery                 DOUBLE,
    candour                    BOOLEAN,
    p_candour                  DOUBLE,
    understanding              BOOLEAN,
    p_understanding            DOUBLE,
    impartiality               BOOLEAN,
    p_impartiality             DOUBLE,
    explicit_trait_vocabulary  BOOLEAN,
    model_version              VARCHAR
);

-- Per speaker x quarter, what speaker adoption needs from that quarter's passages (current
-- decisions; speakers with an id or a name): the first explicit use in the quarter and the
-- speaker's id, name, role and party at it, relevant and trait-carrying passage counts, and the
-- same counts before that first use. speaker_adoption_stats is summed from it.
CREATE TABLE trend_speaker_quarters (
    quarter            VARCHAR NOT NULL,
    speaker_key        VARCHAR NOT NULL,     -- speaker_id, or 'name:' || speaker
    first_use          DATE,                 -- first explicit use in the quarter; NULL if none
    first_passage      VARCHAR,              -- its passage (ties on the date go to the lower id)
    speaker_id         VARCHAR,
    speaker            VARCHAR,
    role               VARCHAR,
    party              VARCHAR,
    n_relevant         BIGINT NOT NULL,
    n_trait            BIGINT NOT NULL,      -- relevant and carrying any trait frame
    n_relevant_pre     BIGINT NOT NULL,      -- of n_relevant, dated before first_use
    n_trait_pre        BIGINT NOT NULL
);

-- Per quarter, the speakers active in it (a relevant passage) by group: the diffusion curve's
-- input (trend_diffusion is counted from it).
CREATE TABLE trend_speaker_activity (
    quarter      VARCHAR NOT NULL,
    speaker_key  VARCHAR NOT NULL,
    dimension    VARCHAR NOT NULL,           -- all | party | role
    grp          VARCHAR
);

-- trend_refresh_state keeps one row per quarter from the first passage to the last (the views
-- read it); its per-quarter fingerprint now records the settings the quarter was computed
-- under. A warehouse refreshed before change tracking has no marks nor trend_passages: its
-- next refresh recomputes everything once.
DELETE FROM trend_refresh_state WHERE quarter = '*';
