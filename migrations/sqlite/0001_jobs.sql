-- Jobs and their full-text index (SQLite dialect).
CREATE TABLE jobs (
    id                 INTEGER PRIMARY KEY,
    source_id          TEXT NOT NULL UNIQUE,
    source_name        TEXT,
    title              TEXT NOT NULL,
    company            TEXT NOT NULL,
    company_url        TEXT,
    description        TEXT NOT NULL,
    city               TEXT,
    region             TEXT,
    country            TEXT,
    location_norm      TEXT NOT NULL DEFAULT '',
    remote             INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0, 1)),
    applicant_country  TEXT,
    employment_type    TEXT NOT NULL,
    experience_level   TEXT NOT NULL,
    salary_min         REAL,
    salary_max         REAL,
    salary_currency    TEXT,
    salary_period      TEXT,
    salary_annual_max  REAL,
    skills_required    TEXT NOT NULL DEFAULT '',
    skills_preferred   TEXT NOT NULL DEFAULT '',
    industry           TEXT,
    accommodations     INTEGER NOT NULL DEFAULT 0,
    sensory_requirement TEXT,
    date_posted        TEXT NOT NULL,
    valid_through      TEXT,
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'expired')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE INDEX jobs_open_date ON jobs (status, date_posted DESC, id DESC);
CREATE INDEX jobs_open_salary ON jobs (status, salary_annual_max DESC, id DESC);

CREATE VIRTUAL TABLE jobs_fts USING fts5 (
    title, skills, description,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER jobs_fts_ai AFTER INSERT ON jobs BEGIN
    INSERT INTO jobs_fts (rowid, title, skills, description)
    VALUES (new.id, new.title, new.skills_required || ' ' || new.skills_preferred, new.description);
END;

CREATE TRIGGER jobs_fts_au AFTER UPDATE OF title, skills_required, skills_preferred, description ON jobs BEGIN
    DELETE FROM jobs_fts WHERE rowid = old.id;
    INSERT INTO jobs_fts (rowid, title, skills, description)
    VALUES (new.id, new.title, new.skills_required || ' ' || new.skills_preferred, new.description);
END;

CREATE TRIGGER jobs_fts_ad AFTER DELETE ON jobs BEGIN
    DELETE FROM jobs_fts WHERE rowid = old.id;
END;
