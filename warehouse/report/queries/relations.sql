-- Which of the report's input relations (views or tables) this warehouse holds.
SELECT table_name AS name
FROM information_schema.tables
WHERE table_schema = 'main'
