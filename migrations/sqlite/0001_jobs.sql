-- Jobs and their full-text index (SQLite dialect).
CREATE TABLE jobs (
    id                 INTEGER PRIMARY KEY,
    source_id          TEXT NOT NULL UNIQUE,
    source_name        TEXT,
    title              TEXT NOT NULL,
    company            TEXT NOT NULL,
    company_url        TEXT,
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
    industry           TEXT,
    accommodations     INTEGER NOT NULL DEFAULT 0,
    date_posted        TEXT NOT NULL,
    valid_through      TEXT,
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'expired')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    -- Long text last: SQLite reads the short columns without walking overflow pages.
    description        TEXT NOT NULL,
    skills_required    TEXT NOT NULL DEFAULT '',
    skills_preferred   TEXT NOT NULL DEFAULT '',
    sensory_requirement TEXT
);

-- Search reads only open jobs: partial indexes give the two orders without a sort, and
-- the facet index holds every column the facet counts read (status too, or SQLite will not
-- treat it as covering), so counting scans it instead of the table rows.
CREATE INDEX jobs_open_date ON jobs (date_posted DESC, id DESC) WHERE status = 'open';
CREATE INDEX jobs_open_salary ON jobs (salary_annual_max DESC, id DESC) WHERE status = 'open';
CREATE INDEX jobs_open_facets ON jobs (valid_through, employment_type, experience_level, remote,
    accommodations, salary_annual_max, location_norm, city, region, country, status)
    WHERE status = 'open';

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
