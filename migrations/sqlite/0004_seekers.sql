-- Job seekers and employers: profiles, documents, applications, interviews, messages,
-- notifications, saved searches (SQLite). Times are ISO 8601 UTC text.

-- One profile per account. Sealed columns (core/seal.h) hold sensitive data: the aad is
-- "profiles.<column>:<user id>" (see src/model/sealed.c).
CREATE TABLE profiles (
    user_id             INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    headline            TEXT NOT NULL DEFAULT '',
    summary             TEXT NOT NULL DEFAULT '',
    desired_titles      TEXT NOT NULL DEFAULT '',     -- one per line
    locations           TEXT NOT NULL DEFAULT '',     -- one per line, "City, Region, Country"
    remote_preference   TEXT NOT NULL DEFAULT 'any' CHECK (remote_preference IN ('onsite', 'hybrid', 'remote', 'any')),
    experience_level    TEXT CHECK (experience_level IN ('entry', 'mid', 'senior', 'lead', 'executive')),
    salary_min          REAL,
    salary_currency     TEXT,
    salary_period       TEXT,
    availability        TEXT NOT NULL DEFAULT 'immediately'
                        CHECK (availability IN ('immediately', 'two_weeks', 'one_month', 'three_months', 'not_looking')),
    work_authorization  TEXT NOT NULL DEFAULT '',
    links               TEXT NOT NULL DEFAULT '',     -- one URL per line
    comm_modes          INTEGER NOT NULL DEFAULT 0,   -- bit set: vocab communication modes
    videophone_sealed   TEXT,                         -- sealed contact number
    text_phone_sealed   TEXT,                         -- sealed contact number
    accommodations_sealed TEXT,                       -- sealed JSON {"needs": [...], "notes": "..."}
    disclosure          TEXT NOT NULL DEFAULT 'never' CHECK (disclosure IN ('never', 'after_apply', 'interview')),
    visibility          TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'employers', 'public')),
    search_text         TEXT NOT NULL DEFAULT '',     -- headline, summary, titles, skills, experience: for candidate search
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX profiles_visible ON profiles (visibility, updated_at);

-- Normalised skills ("javascript", "american sign language"), for matching and search.
CREATE TABLE profile_skills (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skill    TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, skill)
);
CREATE INDEX profile_skills_skill ON profile_skills (skill);

CREATE TABLE profile_experience (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL DEFAULT 0,
    title         TEXT NOT NULL,
    organisation  TEXT NOT NULL DEFAULT '',
    start_date    TEXT,                               -- YYYY-MM or YYYY-MM-DD
    end_date      TEXT,
    description   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX profile_experience_user ON profile_experience (user_id, position);

CREATE TABLE profile_education (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL DEFAULT 0,
    institution   TEXT NOT NULL,
    credential    TEXT NOT NULL DEFAULT '',
    field         TEXT NOT NULL DEFAULT '',
    start_date    TEXT,
    end_date      TEXT
);
CREATE INDEX profile_education_user ON profile_education (user_id, position);

-- Uploaded files: stored outside any served folder under storage_name.
CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('resume', 'cover_letter', 'portfolio')),
    filename        TEXT NOT NULL,                    -- cleaned display name
    mime            TEXT NOT NULL CHECK (mime IN ('application/pdf', 'text/plain',
                        'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    storage_name    TEXT NOT NULL UNIQUE,
    extract_status  TEXT NOT NULL DEFAULT 'pending' CHECK (extract_status IN ('pending', 'done', 'failed')),
    created_at      TEXT NOT NULL,
    deleted_at      TEXT,
    text            TEXT NOT NULL DEFAULT ''          -- extracted plain text
);
CREATE INDEX documents_user ON documents (user_id, kind, id);

-- One application per person per job.
CREATE TABLE applications (
    id               INTEGER PRIMARY KEY,
    job_id           INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    resume_id        INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    cover_letter_id  INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    stage            TEXT NOT NULL DEFAULT 'applied' CHECK (stage IN ('applied', 'screening', 'interview',
                         'offer', 'hired', 'rejected', 'withdrawn')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    message          TEXT NOT NULL DEFAULT '',        -- the candidate's note with the application
    UNIQUE (job_id, user_id)
);
CREATE INDEX applications_user ON applications (user_id, updated_at);
CREATE INDEX applications_job ON applications (job_id, stage, updated_at);

-- Every stage change, with who made it.
CREATE TABLE application_events (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    from_stage      TEXT,
    to_stage        TEXT NOT NULL,
    actor_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at              TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT ''          -- e.g. the respectful rejection message
);
CREATE INDEX application_events_app ON application_events (application_id, id);

-- The employer's private notes on an application.
CREATE TABLE application_notes (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    body            TEXT NOT NULL
);
CREATE INDEX application_notes_app ON application_notes (application_id, id);

CREATE TABLE interviews (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    format          TEXT NOT NULL CHECK (format IN ('video', 'in_person', 'text')),
    status          TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'cancelled')),
    chosen_slot_id  INTEGER,
    location        TEXT NOT NULL DEFAULT '',         -- address or meeting link
    duration_min    INTEGER NOT NULL DEFAULT 30,
    created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    accommodation_sealed TEXT,                        -- sealed: what the candidate asked for
    details         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX interviews_app ON interviews (application_id, id);

CREATE TABLE interview_slots (
    id            INTEGER PRIMARY KEY,
    interview_id  INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    starts_at     TEXT NOT NULL
);
CREATE INDEX interview_slots_interview ON interview_slots (interview_id, starts_at);

-- A written thread per application.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    sender_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    body            TEXT NOT NULL
);
CREATE INDEX messages_app ON messages (application_id, id);

-- How far each participant has read a thread (unread = messages after last_read_id).
CREATE TABLE message_reads (
    application_id  INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read_id    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (application_id, user_id)
);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,                        -- application_received, stage_changed, ...
    title       TEXT NOT NULL,
    link        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    read_at     TEXT,
    emailed_at  TEXT,
    body        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
CREATE INDEX notifications_digest ON notifications (emailed_at, user_id);

-- Email choice per event kind; no row = the default for that kind.
CREATE TABLE notification_prefs (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    email    TEXT NOT NULL CHECK (email IN ('off', 'instant', 'daily')),
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE saved_searches (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    query         TEXT NOT NULL,                      -- canonical search query string
    frequency     TEXT NOT NULL DEFAULT 'daily' CHECK (frequency IN ('off', 'instant', 'daily')),
    rss_token_hash TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_run_at   TEXT
);
CREATE INDEX saved_searches_user ON saved_searches (user_id, id);
CREATE INDEX saved_searches_due ON saved_searches (frequency, last_run_at);

-- Jobs an alert already told about: never twice.
CREATE TABLE saved_search_seen (
    saved_search_id  INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    job_id           INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at               TEXT NOT NULL,
    PRIMARY KEY (saved_search_id, job_id)
);
