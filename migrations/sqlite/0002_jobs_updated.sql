-- Lets "has anything changed?" checks (the Indeed feed cache) read one index entry.
CREATE INDEX jobs_updated ON jobs (updated_at);
