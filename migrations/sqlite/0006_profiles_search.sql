-- Candidate search by words (SQLite dialect): a full-text index of the profiles employers
-- may see, tokenised like jobs_fts so words match as they do in job search. Private
-- profiles are left out, so a word search starts from visible ones only. The triggers keep
-- it in step with every write of search_text or visibility, whoever makes it.
CREATE VIRTUAL TABLE profiles_fts USING fts5 (
    search_text,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO profiles_fts (rowid, search_text)
    SELECT user_id, search_text FROM profiles WHERE visibility IN ('employers', 'public');

-- The DELETE first: a user id SQLite reused after a delete must not collide.
CREATE TRIGGER profiles_fts_ai AFTER INSERT ON profiles BEGIN
    DELETE FROM profiles_fts WHERE rowid = new.user_id;
    INSERT INTO profiles_fts (rowid, search_text)
        SELECT new.user_id, new.search_text WHERE new.visibility IN ('employers', 'public');
END;

CREATE TRIGGER profiles_fts_au AFTER UPDATE OF user_id, search_text, visibility ON profiles BEGIN
    DELETE FROM profiles_fts WHERE rowid = old.user_id;
    INSERT INTO profiles_fts (rowid, search_text)
        SELECT new.user_id, new.search_text WHERE new.visibility IN ('employers', 'public');
END;

CREATE TRIGGER profiles_fts_ad AFTER DELETE ON profiles BEGIN
    DELETE FROM profiles_fts WHERE rowid = old.user_id;
END;

-- Search without words walks the visible profiles newest first, in the order it shows them.
CREATE INDEX profiles_searchable ON profiles (updated_at DESC, user_id DESC)
    WHERE visibility IN ('employers', 'public');
