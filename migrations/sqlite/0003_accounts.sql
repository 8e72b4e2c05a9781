-- Accounts, sessions, tokens, companies, the audit log and the background queue (SQLite).
-- Times are ISO 8601 UTC text (YYYY-MM-DDTHH:MM:SSZ); text order is time order.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,          -- lower-cased
    password_hash       TEXT NOT NULL,                 -- libsodium Argon2id string (parameters inside)
    role                TEXT NOT NULL CHECK (role IN ('job_seeker', 'entrepreneur', 'employer',
                                                      'recruiter', 'counselor', 'admin')),
    display_name        TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    email_verified_at   TEXT,
    totp_secret         TEXT,                          -- sealed (field encryption), NULL when off
    totp_enabled_at     TEXT,
    totp_last_step      INTEGER NOT NULL DEFAULT 0,    -- newest accepted TOTP step: codes work once
    password_changed_at TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX users_role ON users (role, id);

-- Web sessions. Only a hash of the cookie value is stored.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mfa_pending   INTEGER NOT NULL DEFAULT 0 CHECK (mfa_pending IN (0, 1)),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,                       -- absolute limit
    auth_at       TEXT NOT NULL,                       -- last password (re-)authentication
    ip            TEXT,
    user_agent    TEXT,
    revoked_at    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API refresh tokens: opaque, hashed, rotated on use; reuse revokes the family.
CREATE TABLE refresh_tokens (
    id          INTEGER PRIMARY KEY,
    family      TEXT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    revoked_at  TEXT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Single-use emailed tokens: email verification, password reset, email change.
CREATE TABLE email_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email_change')),
    token_hash  TEXT NOT NULL UNIQUE,
    new_email   TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Failed sign-in, reset and 2FA attempts, per account and per IP, for throttling and lockout.
CREATE TABLE auth_failures (
    id       INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('account', 'ip')),
    subject  TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX auth_failures_subject ON auth_failures (kind, subject, at);

-- Append-only, hash-chained security events.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     INTEGER,
    actor_ip     TEXT,
    event        TEXT NOT NULL,
    target_type  TEXT,
    target_id    TEXT,
    detail       TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_event ON audit_log (event, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE companies (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    website           TEXT,
    size              TEXT CHECK (size IN ('1-10', '11-50', '51-200', '201-1000', '1001+')),
    industry          TEXT,
    deaf_owned        INTEGER NOT NULL DEFAULT 0 CHECK (deaf_owned IN (0, 1)),
    deaf_led          INTEGER NOT NULL DEFAULT 0 CHECK (deaf_led IN (0, 1)),
    asl_fluent_staff  INTEGER NOT NULL DEFAULT 0 CHECK (asl_fluent_staff IN (0, 1)),
    interpreters_on_request INTEGER NOT NULL DEFAULT 0 CHECK (interpreters_on_request IN (0, 1)),
    created_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT ''
);

-- A user belongs to at most one company.
CREATE TABLE company_members (
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (company_id, user_id)
);

CREATE TABLE company_invites (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    invited_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT
);
CREATE INDEX company_invites_company ON company_invites (company_id);

-- Jobs posted on Beacon belong to a company; imported jobs have none.
ALTER TABLE jobs ADD COLUMN company_id INTEGER REFERENCES companies (id) ON DELETE SET NULL;
ALTER TABLE jobs ADD COLUMN posted_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX jobs_company ON jobs (company_id, updated_at);

-- Email waiting for delivery.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    body_text   TEXT NOT NULL
);

-- The durable background queue: claimed atomically, retried with backoff.
CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    run_at        TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL DEFAULT 8,
    locked_by     TEXT,
    locked_until  TEXT,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX tasks_due ON tasks (status, run_at);
