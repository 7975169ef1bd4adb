-- First trend view: share of relevant passages carrying each frame, per quarter x source type,
-- with Wilson 95% intervals on the hard labels. (The trends work replaces the estimator.)

CREATE OR REPLACE VIEW trend_frame_quarterly AS
WITH labelled AS (
    SELECT p.passage_id, p.date, p.source_type,
           coalesce(l.relevant, false) AS relevant,
           l.blob, l.hero, l.advice, l.delivery, l.candour, l.understanding, l.impartiality,
           l.explicit_trait_vocabulary, l.model_version
    FROM passages AS p
    LEFT JOIN v_passage_labels AS l USING (passage_id)
),
long AS (
    UNPIVOT labelled
    ON blob, hero, advice, delivery, candour, understanding, impartiality, explicit_trait_vocabulary
    INTO NAME frame VALUE carries
),
by_group AS (
    SELECT date, source_type, frame, relevant, carries FROM long
    UNION ALL
    SELECT date, 'all' AS source_type, frame, relevant, carries FROM long
),
quarters AS (
    SELECT strftime(q, '%Y') || '-Q' || quarter(q) AS quarter
    FROM (SELECT date_trunc('quarter', min(date)) AS lo, date_trunc('quarter', max(date)) AS hi FROM passages),
         generate_series(lo, hi, INTERVAL 3 MONTH) AS t(q)
),
grid AS (
    SELECT quarter, frame, source_type
    FROM quarters,
         (SELECT DISTINCT frame FROM long) AS f,
         (SELECT DISTINCT source_type FROM by_group) AS g
),
counts AS (
    SELECT strftime(date, '%Y') || '-Q' || quarter(date) AS quarter, frame, source_type,
           count(*) AS n_passages,
           count(*) FILTER (WHERE relevant) AS n_relevant,
           count(*) FILTER (WHERE relevant AND carries) AS n_frame
    FROM by_group
    GROUP BY ALL
),
wilson AS (
    SELECT g.quarter, g.frame, g.source_type,
           coalesce(c.n_passages, 0) AS n_passages,
           coalesce(c.n_relevant, 0) AS n_relevant,
           coalesce(c.n_frame, 0) AS k,
           1.959963984540054 AS z
    FROM grid AS g
    LEFT JOIN counts AS c USING (quarter, frame, source_type)
),
final AS (
    SELECT quarter, frame, source_type, n_passages, n_relevant,
           CASE WHEN n_relevant > 0 THEN k / n_relevant END AS share,
           CASE WHEN n_relevant > 0 THEN greatest(0.0,
               (k / n_relevant + z * z / (2 * n_relevant)
                - z * sqrt(k / n_relevant * (1 - k / n_relevant) / n_relevant + z * z / (4 * n_relevant * n_relevant)))
               / (1 + z * z / n_relevant)) END AS ci_low,
           CASE WHEN n_relevant > 0 THEN least(1.0,
               (k / n_relevant + z * z / (2 * n_relevant)
                + z * sqrt(k / n_relevant * (1 - k / n_relevant) / n_relevant + z * z / (4 * n_relevant * n_relevant)))
               / (1 + z * z / n_relevant)) END AS ci_high,
           n_relevant < 30 AS low_n,
           (SELECT model_version FROM models WHERE is_current) AS model_version
    FROM wilson
)
SELECT * FROM final
ORDER BY quarter, frame, source_type;
