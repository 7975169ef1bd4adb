-- Catalogue 016's view of the same text held by two sources (SCHEMA.md, "Linked sources").
INSERT INTO view_catalog VALUES
    ('v_cross_source_duplicates', 1, 'stable', 16, NULL, NULL, 'documents in different sources that share passage text');
