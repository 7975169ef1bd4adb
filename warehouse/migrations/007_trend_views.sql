-- The trend views (CONTRACTS.md), over the tables refresh_trends() materialises (006).
-- trend_frame_quarterly replaces 004's Wilson view: shares are now corrected for classifier
-- error, with intervals that carry sampling and classifier error (warehouse/METHODS.md).
-- Every quarter from the first passage to the last has a row per frame x group, empty or not.

-- Staged: every current passage with the current model's decisions (the refresh reads it).
CREATE OR REPLACE VIEW stg_trend_passages AS
WITH passages AS (
    SELECT passage_id, content_hash, date, source_type, role, party, department, speaker_id, speaker
    FROM passages
),
labels AS (
    SELECT * FROM v_passage_labels
),
final AS (
    SELECT p.passage_id, p.content_hash, p.date,
           strftime(p.date, '%Y') || '-Q' || quarter(p.date) AS quarter,
           strftime(p.date, '%Y-%m') AS month,
           p.source_type, p.role, p.party, p.department, p.speaker_id, p.speaker,
           l.relevant, l.p_relevant,
           l.blob, l.p_blob, l.hero, l.p_hero, l.advice, l.p_advice, l.delivery, l.p_delivery,
           l.candour, l.p_candour, l.understanding, l.p_understanding,
           l.impartiality, l.p_impartiality,
           l.explicit_trait_vocabulary, l.model_version
    FROM passages AS p
    JOIN labels AS l USING (passage_id)
)
SELECT * FROM final;

CREATE OR REPLACE VIEW trend_frame_quarterly AS
WITH quarters AS (
    SELECT quarter FROM trend_refresh_state WHERE quarter <> '*'
),
frames AS (
    SELECT unnest(['blob', 'hero', 'advice', 'delivery', 'candour', 'understanding', 'impartiality', 'explicit_trait_vocabulary']) AS frame
),
estimates AS (
    SELECT * FROM trend_estimates
    WHERE period_kind = 'quarter' AND dimension IN ('all', 'source_type') AND label IN (SELECT frame FROM frames)
),
groups AS (
    SELECT DISTINCT grp FROM estimates
),
current_model AS (
    SELECT any_value(model_version) AS model_version FROM models WHERE is_current
),
final AS (
    SELECT q.quarter, f.frame, g.grp AS source_type,
           coalesce(e.n_passages, 0) AS n_passages,
           coalesce(e.n_relevant, 0) AS n_relevant,
           e.share, e.ci_low, e.ci_high,
           coalesce(e.low_n, true) AS low_n,
           coalesce(e.model_version, (SELECT model_version FROM current_model)) AS model_version
    FROM quarters AS q
    CROSS JOIN frames AS f
    CROSS JOIN groups AS g
    LEFT JOIN estimates AS e
        ON e.period = q.quarter AND e.label = f.frame AND e.grp IS NOT DISTINCT FROM g.grp
)
SELECT * FROM final
ORDER BY quarter, frame, source_type NULLS LAST;

CREATE OR REPLACE VIEW trend_frame_quarterly_by_role AS
WITH quarters AS (
    SELECT quarter FROM trend_refresh_state WHERE quarter <> '*'
),
frames AS (
    SELECT unnest(['blob', 'hero', 'advice', 'delivery', 'candour', 'understanding', 'impartiality', 'explicit_trait_vocabulary']) AS frame
),
estimates AS (
    SELECT * FROM trend_estimates
    WHERE period_kind = 'quarter' AND dimension IN ('all', 'role') AND label IN (SELECT frame FROM frames)
),
groups AS (
    SELECT DISTINCT grp FROM estimates
),
current_model AS (
    SELECT any_value(model_version) AS model_version FROM models WHERE is_current
),
final AS (
    SELECT q.quarter, f.frame, g.grp AS role,
           coalesce(e.n_passages, 0) AS n_passages,
           coalesce(e.n_relevant, 0) AS n_relevant,
           e.share, e.ci_low, e.ci_high,
           coalesce(e.low_n, true) AS low_n,
           coalesce(e.model_version, (SELECT model_version FROM current_model)) AS model_version
    FROM quarters AS q
    CROSS JOIN frames AS f
    CROSS JOIN groups AS g
    LEFT JOIN estimates AS e
        ON e.period = q.quarter AND e.label = f.frame AND e.grp IS NOT DISTINCT FROM g.grp
)
SELECT * FROM final
ORDER BY quarter, frame, role NULLS LAST;

CREATE OR REPLACE VIEW trend_frame_quarterly_by_party AS
WITH quarters AS (
    SELECT quarter FROM trend_refresh_state WHERE quarter <> '*'
),
frames AS (
    SELECT unnest(['blob', 'hero', 'advice', 'delivery', 'candour', 'understanding', 'impartiality', 'explicit_trait_vocabulary']) AS frame
),
estimates AS (
    SELECT * FROM trend_estimates
    WHERE period_kind = 'quarter' AND dimension IN ('all', 'party') AND label IN (SELECT frame FROM frames)
),
groups AS (
    SELECT DISTINCT grp FROM estimates
),
current_model AS (
    SELECT any_value(model_version) AS model_version FROM models WHERE is_current
),
final AS (
    SELECT q.quarter, f.frame, g.grp AS party,
           coalesce(e.n_passages, 0) AS n_passages,
           coalesce(e.n_relevant, 0) AS n_relevant,
           e.share, e.ci_low, e.ci_high,
           coalesce(e.low_n, true) AS low_n,
           coalesce(e.model_version, (SELECT model_version FROM current_model)) AS model_version
    FROM quarters AS q
    CROSS JOIN frames AS f
    CROSS JOIN groups AS g
    LEFT JOIN estimates AS e
        ON e.period = q.quarter AND e.label = f.frame AND e.grp IS NOT DISTINCT FROM g.grp
)
SELECT * FROM final
ORDER BY quarter, frame, party NULLS LAST;

CREATE OR REPLACE VIEW trend_frame_quarterly_by_department AS
WITH quarters AS (
    SELECT quarter FROM trend_refresh_state WHERE quarter <> '*'
),
frames AS (
    SELECT unnest(['blob', 'hero', 'advice', 'delivery', 'candour', 'understanding', 'impartiality', 'explicit_trait_vocabulary']) AS frame
),
estimates AS (
    SELECT * FROM trend_estimates
    WHERE period_kind = 'quarter' AND dimension IN ('all', 'department') AND label IN (SELECT frame FROM frames)
),
groups AS (
    SELECT DISTINCT grp FROM estimates
),
current_model AS (
    SELECT any_value(model_version) AS model_version FROM models WHERE is_current
),
final AS (
    SELECT q.quarter, f.frame, g.grp AS department,
           coalesce(e.n_passages, 0) AS n_passages,
           coalesce(e.n_relevant, 0) AS n_relevant,
           e.share, e.ci_low, e.ci_high,
           coalesce(e.low_n, true) AS low_n,
           coalesce(e.model_version, (SELECT model_version FROM current_model)) AS model_version
    FROM quarters AS q
    CROSS JOIN frames AS f
    CROSS JOIN groups AS g
    LEFT JOIN estimates AS e
        ON e.period = q.quarter AND e.label = f.frame AND e.grp IS NOT DISTINCT FROM g.grp
)
SELECT * FROM final
ORDER BY quarter, frame, department NULLS LAST;

-- Monthly shares, every dimension (not a contract view; the same columns plus dimension).
CREATE OR REPLACE VIEW trend_frame_monthly AS
SELECT period AS month, label AS frame, dimension, grp, n_passages, n_relevant, share, ci_low,
       ci_high, low_n, model_version
FROM trend_estimates
WHERE period_kind = 'month' AND label NOT IN ('relevant', 'adoption_index')
ORDER BY month, frame, dimension, grp NULLS LAST;

-- The relevance rate: relevant passages among all passages, corrected like the shares.
CREATE OR REPLACE VIEW trend_relevance_quarterly AS
SELECT period AS quarter, dimension, grp, n_passages, n_relevant, share AS rate, ci_low, ci_high,
       low_n, model_version
FROM trend_estimates
WHERE period_kind = 'quarter' AND label = 'relevant'
ORDER BY quarter, dimension, grp NULLS LAST;

-- The adoption index: trait share / (trait share + blob + hero share), METHODS.md §1.
CREATE OR REPLACE VIEW trend_adoption_quarterly AS
SELECT period AS quarter, dimension, grp, n_relevant, share AS adoption_index, ci_low, ci_high,
       low_n, model_version
FROM trend_estimates
WHERE period_kind = 'quarter' AND label = 'adoption_index'
ORDER BY quarter, dimension, grp NULLS LAST;

CREATE OR REPLACE VIEW trend_changes AS
WITH changes AS (
    SELECT * FROM trend_change_points WHERE dimension IN ('all', 'source_type')
),
final AS (
    SELECT frame, grp AS source_type, quarter, direction, magnitude, score
    FROM changes
)
SELECT * FROM final
ORDER BY quarter, frame, source_type;

CREATE OR REPLACE VIEW speaker_adoption AS
SELECT speaker_id, speaker, role, party, first_explicit_use, trait_share_before, trait_share_after
FROM speaker_adoption_stats
ORDER BY first_explicit_use, speaker_key;

CREATE OR REPLACE VIEW trend_diffusion_quarterly AS
SELECT quarter, dimension, grp, n_active, n_adopted, share_adopted, model_version
FROM trend_diffusion
ORDER BY quarter, dimension, grp NULLS LAST;
