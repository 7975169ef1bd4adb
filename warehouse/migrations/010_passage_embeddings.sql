-- Passage embeddings for semantic search (`whitehall similar`), keyed by the text they embed.
-- One row per distinct passage text x encoder: passages with the same text share a vector, and
-- a reload that keeps the text keeps the vector. `encoder` names the model and its weights
-- ('<name>@<revision>'), so vectors from different encoders never mix.

CREATE TABLE passage_embeddings (
    content_hash  VARCHAR NOT NULL,            -- passages.content_hash (sha256 of the cleaned text)
    encoder       VARCHAR NOT NULL,            -- e.g. 'sentence-transformers/all-MiniLM-L6-v2@a683a6d1843b7e38'
    vector        FLOAT[384] NOT NULL,         -- L2-normalised, so cosine similarity = dot product
    origin        VARCHAR NOT NULL,            -- 'prediction' (the classifier's own vector) | 'encoder'
    created_at    TIMESTAMP,                   -- bookkeeping
    PRIMARY KEY (content_hash, encoder)
);
