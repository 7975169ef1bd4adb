-- Cells: decision counts and probability sums per period x group x source-type stratum, for
-- the quarters being refreshed (staged from trend_passages into the temp table trend_staged).
-- k_* count passages decided positive; h_* are the probabilistic counts (P(relevant) and
-- P(relevant) * P(frame | relevant)); s_*, ss_* their sums and sums of squares. The refresh
-- turns a group's strata into one cell. Months are pooled and by source type; quarters by
-- every dimension. The sums are exact (DECIMAL, 18 places), so they do not depend on the order
-- DuckDB adds the rows in: a quarter gives the same cells whatever else is refreshed with it.
WITH staged AS (
    SELECT * FROM trend_staged
),
scored AS (
    SELECT quarter, month, source_type, role, party, department,
           p_relevant AS h_relevant,
           p_relevant * p_blob AS h_blob,
           p_relevant * p_hero AS h_hero,
           p_relevant * p_advice AS h_advice,
           p_relevant * p_delivery AS h_delivery,
           p_relevant * p_candour AS h_candour,
           p_relevant * p_understanding AS h_understanding,
           p_relevant * p_impartiality AS h_impartiality,
           explicit_trait_vocabulary::INTEGER AS h_explicit_trait_vocabulary,
           relevant, blob, hero, advice, delivery, candour, understanding, impartiality,
           explicit_trait_vocabulary
    FROM staged
),
grouped AS (
    SELECT quarter, month, source_type, role, party, department,
           grouping(month) AS g_month, grouping(role) AS g_role, grouping(party) AS g_party,
           grouping(department) AS g_department,
           count(*) AS n,
           count(*) FILTER (WHERE relevant) AS k_relevant,
           count(*) FILTER (WHERE blob) AS k_blob,
           count(*) FILTER (WHERE hero) AS k_hero,
           count(*) FILTER (WHERE advice) AS k_advice,
           count(*) FILTER (WHERE delivery) AS k_delivery,
           count(*) FILTER (WHERE candour) AS k_candour,
           count(*) FILTER (WHERE understanding) AS k_understanding,
           count(*) FILTER (WHERE impartiality) AS k_impartiality,
           count(*) FILTER (WHERE explicit_trait_vocabulary) AS k_explicit_trait_vocabulary,
           sum(h_relevant::DECIMAL(38, 18))::DOUBLE AS s_relevant,
           sum(h_blob::DECIMAL(38, 18))::DOUBLE AS s_blob,
           sum(h_hero::DECIMAL(38, 18))::DOUBLE AS s_hero,
           sum(h_advice::DECIMAL(38, 18))::DOUBLE AS s_advice,
           sum(h_delivery::DECIMAL(38, 18))::DOUBLE AS s_delivery,
           sum(h_candour::DECIMAL(38, 18))::DOUBLE AS s_candour,
           sum(h_understanding::DECIMAL(38, 18))::DOUBLE AS s_understanding,
           sum(h_impartiality::DECIMAL(38, 18))::DOUBLE AS s_impartiality,
           sum(h_explicit_trait_vocabulary::DECIMAL(38, 18))::DOUBLE AS s_explicit_trait_vocabulary,
           sum((h_relevant * h_relevant)::DECIMAL(38, 18))::DOUBLE AS ss_relevant,
           sum((h_blob * h_blob)::DECIMAL(38, 18))::DOUBLE AS ss_blob,
           sum((h_hero * h_hero)::DECIMAL(38, 18))::DOUBLE AS ss_hero,
           sum((h_advice * h_advice)::DECIMAL(38, 18))::DOUBLE AS ss_advice,
           sum((h_delivery * h_delivery)::DECIMAL(38, 18))::DOUBLE AS ss_delivery,
           sum((h_candour * h_candour)::DECIMAL(38, 18))::DOUBLE AS ss_candour,
           sum((h_understanding * h_understanding)::DECIMAL(38, 18))::DOUBLE AS ss_understanding,
           sum((h_impartiality * h_impartiality)::DECIMAL(38, 18))::DOUBLE AS ss_impartiality,
           sum((h_explicit_trait_vocabulary * h_explicit_trait_vocabulary)::DECIMAL(38, 18))::DOUBLE AS ss_explicit_trait_vocabulary
    FROM scored
    GROUP BY GROUPING SETS (
        (quarter, source_type), (quarter, source_type, role), (quarter, source_type, party),
        (quarter, source_type, department), (quarter, month, source_type))
),
labelled AS (
    SELECT CASE WHEN g_month = 0 THEN 'month' ELSE 'quarter' END AS period_kind,
           CASE WHEN g_month = 0 THEN month ELSE quarter END AS period,
           quarter,
           CASE WHEN g_role = 0 THEN 'role' WHEN g_party = 0 THEN 'party'
                WHEN g_department = 0 THEN 'department' ELSE 'source_type' END AS dimension,
           CASE WHEN g_role = 0 THEN role WHEN g_party = 0 THEN party
                WHEN g_department = 0 THEN department ELSE source_type END AS grp,
           source_type AS stratum, n, k_relevant, k_blob, k_hero, k_advice, k_delivery, k_candour, k_understanding, k_impartiality, k_explicit_trait_vocabulary, s_relevant, s_blob, s_hero, s_advice, s_delivery, s_candour, s_understanding, s_impartiality, s_explicit_trait_vocabulary, ss_relevant, ss_blob, ss_hero, ss_advice, ss_delivery, ss_candour, ss_understanding, ss_impartiality, ss_explicit_trait_vocabulary
    FROM grouped
),
final AS (
    SELECT * FROM labelled
    UNION ALL
    SELECT period_kind, period, quarter, 'all' AS dimension, 'all' AS grp, stratum, n, k_relevant, k_blob, k_hero, k_advice, k_delivery, k_candour, k_understanding, k_impartiality, k_explicit_trait_vocabulary, s_relevant, s_blob, s_hero, s_advice, s_delivery, s_candour, s_understanding, s_impartiality, s_explicit_trait_vocabulary, ss_relevant, ss_blob, ss_hero, ss_advice, ss_delivery, ss_candour, ss_understanding, ss_impartiality, ss_explicit_trait_vocabulary
    FROM labelled WHERE dimension = 'source_type'
)
SELECT * FROM final
ORDER BY period_kind, period, dimension, grp NULLS LAST, stratum;
