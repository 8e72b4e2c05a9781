-- Candidate search by words (PostgreSQL dialect): a tsvector of search_text with the
-- configuration job search uses ('english'), indexed for the profiles employers may see
-- only. A stored generated column follows every write of search_text; adding it computes
-- it for the rows already there.
ALTER TABLE profiles ADD COLUMN search_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED;

CREATE INDEX profiles_search_tsv ON profiles USING GIN (search_tsv)
    WHERE visibility IN ('employers', 'public');

-- Search without words walks the visible profiles newest first, in the order it shows them.
CREATE INDEX profiles_searchable ON profiles (updated_at DESC, user_id DESC)
    WHERE visibility IN ('employers', 'public');
