-- Researcher-facing views beside 003's, and the catalog of every versioned view
-- (warehouse/SCHEMA.md documents each column; a test checks the two agree).

CREATE TABLE view_catalog (
    view_name             VARCHAR PRIMARY KEY,
    version               INTEGER NOT NULL,      -- bumps only by a new view name (<name>_v2, ...)
    status                VARCHAR NOT NULL,      -- stable | deprecated (kept for one release)
    since_schema          INTEGER NOT NULL,      -- the migration that introduced it
    deprecated_in_schema  INTEGER,
    replaced_by           VARCHAR,
    summary               VARCHAR NOT NULL,
    CHECK (status IN ('stable', 'deprecated'))
);

INSERT INTO view_catalog VALUES
    ('v_passages', 1, 'stable', 3, NULL, NULL, 'one row per current passage, with speaker, date and link'),
    ('v_passage_labels', 1, 'stable', 3, NULL, NULL, 'the current model''s labels of each current passage'),
    ('trend_frame_quarterly', 1, 'stable', 4, NULL, NULL, 'share of relevant passages carrying each frame, per quarter x source type'),
    ('v_passage_evidence', 1, 'stable', 12, NULL, NULL, 'the evidence span behind each positive label of the current model'),
    ('v_passage_embeddings', 1, 'stable', 12, NULL, NULL, 'each current passage''s stored embedding, per encoder'),
    ('v_annotations', 1, 'stable', 12, NULL, NULL, 'every human annotation, with its sample design'),
    ('v_gold_annotations', 1, 'stable', 12, NULL, NULL, 'the gold sample''s annotated units, reconciled by majority, with inclusion probabilities');

CREATE OR REPLACE VIEW v_passage_evidence AS
WITH current_model AS (
    SELECT model_version FROM models WHERE is_current
),
final AS (
    SELECT l.passage_id, l.label, l.probability, l.evidence, l.model_version, l.codebook_version
    FROM labels AS l
    JOIN passages AS p USING (passage_id, content_hash)
    WHERE l.model_version IN (SELECT model_version FROM current_model) AND l.decision
)
SELECT * FROM final;

CREATE OR REPLACE VIEW v_passage_embeddings AS
SELECT p.passage_id, e.encoder, e.vector
FROM passages AS p
JOIN passage_embeddings AS e USING (content_hash);

CREATE OR REPLACE VIEW v_annotations AS
WITH current_passages AS (
    SELECT passage_id, content_hash FROM passages
),
final AS (
    SELECT a.annotation_id, a.passage_id, a.content_hash,
           c.passage_id IS NOT NULL AS is_current,
           a.annotator, a.relevant, a.frames, a.explicit_trait_vocabulary, a.codebook_version,
           a.stream, a.sample_design, a.p_inclusion, a.model_version, a.session_id, a.annotated_at
    FROM annotations AS a
    LEFT JOIN current_passages AS c USING (passage_id, content_hash)
)
SELECT * FROM final;

CREATE OR REPLACE VIEW v_gold_annotations AS
WITH latest AS (  -- each annotator's latest answer on each text
    SELECT *
    FROM annotations
    QUALIFY row_number() OVER (PARTITION BY passage_id, content_hash, annotator, codebook_version
                               ORDER BY annotated_at DESC, annotation_id DESC) = 1
),
units AS (
    SELECT g.design, g.stratum, g.passage_id, l.content_hash, l.codebook_version, g.p_inclusion,
           count(*) AS n_annotators,
           count(*) FILTER (WHERE l.relevant) AS k_relevant,
           count(*) FILTER (WHERE l.relevant AND list_contains(l.frames, 'blob')) AS k_blob,
           count(*) FILTER (WHERE l.relevant AND list_contains(l.frames, 'hero')) AS k_hero,
           count(*) FILTER (WHERE l.relevant AND list_contains(l.frames, 'advice')) AS k_advice,
           count(*) FILTER (WHERE l.relevant AND list_contains(l.frames, 'delivery')) AS k_delivery,
           count(*) FILTER (WHERE l.relevant AND list_contains(l.frames, 'candour')) AS k_candour,
           count(*) FILTER (WHERE l.relevant AND list_contains(l.frames, 'understanding')) AS k_understanding,
           count(*) FILTER (WHERE l.relevant AND list_contains(l.frames, 'impartiality')) AS k_impartiality,
           count(*) FILTER (WHERE l.relevant AND l.explicit_trait_vocabulary) AS k_explicit
    FROM gold_sample AS g
    JOIN latest AS l USING (passage_id)
    GROUP BY ALL
),
strata AS (
    SELECT u.design, u.stratum, u.codebook_version, s.population, count(*) AS annotated
    FROM units AS u
    JOIN gold_strata AS s USING (design, stratum)
    GROUP BY ALL
),
final AS (
    SELECT u.design, u.stratum, u.passage_id, u.content_hash, u.codebook_version,
           c.passage_id IS NOT NULL AS is_current,
           u.n_annotators,
           2 * u.k_relevant > u.n_annotators AS relevant,
           2 * u.k_relevant > u.n_annotators AND 2 * u.k_blob > u.n_annotators AS blob,
           2 * u.k_relevant > u.n_annotators AND 2 * u.k_hero > u.n_annotators AS hero,
           2 * u.k_relevant > u.n_annotators AND 2 * u.k_advice > u.n_annotators AS advice,
           2 * u.k_relevant > u.n_annotators AND 2 * u.k_delivery > u.n_annotators AS delivery,
           2 * u.k_relevant > u.n_annotators AND 2 * u.k_candour > u.n_annotators AS candour,
           2 * u.k_relevant > u.n_annotators AND 2 * u.k_understanding > u.n_annotators AS understanding,
           2 * u.k_relevant > u.n_annotators AND 2 * u.k_impartiality > u.n_annotators AS impartiality,
           2 * u.k_relevant > u.n_annotators AND 2 * u.k_explicit > u.n_annotators AS explicit_trait_vocabulary,
           u.p_inclusion,
           s.population AS stratum_population,
           s.annotated AS stratum_annotated,
           s.annotated / s.population AS p_inclusion_annotated
    FROM units AS u
    LEFT JOIN strata AS s USING (design, stratum, codebook_version)
    LEFT JOIN passages AS c ON c.passage_id = u.passage_id AND c.content_hash = u.content_hash
)
SELECT * FROM final;
