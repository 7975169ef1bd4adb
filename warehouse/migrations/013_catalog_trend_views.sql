-- Catalogue the trend views (006/007) beside the research views (012); SCHEMA.md documents each.
INSERT INTO view_catalog VALUES
    ('trend_frame_quarterly_by_role', 1, 'stable', 7, NULL, NULL, 'frame shares per quarter x role at the date'),
    ('trend_frame_quarterly_by_party', 1, 'stable', 7, NULL, NULL, 'frame shares per quarter x party at the date'),
    ('trend_frame_quarterly_by_department', 1, 'stable', 7, NULL, NULL, 'frame shares per quarter x department'),
    ('trend_frame_monthly', 1, 'stable', 7, NULL, NULL, 'frame shares per month, every grouping'),
    ('trend_relevance_quarterly', 1, 'stable', 7, NULL, NULL, 'share of passages about the civil service, per quarter'),
    ('trend_adoption_quarterly', 1, 'stable', 7, NULL, NULL, 'the adoption index: trait mentions over trait, blob and hero mentions'),
    ('trend_changes', 1, 'stable', 7, NULL, NULL, 'detected change points in frame shares'),
    ('speaker_adoption', 1, 'stable', 7, NULL, NULL, 'each speaker''s first explicit use and trait share before and after'),
    ('trend_diffusion_quarterly', 1, 'stable', 7, NULL, NULL, 'share of active speakers who have adopted the explicit vocabulary');
