-- Extra header lines of an outgoing email ("Name: value" per line, checked by
-- mail.c when queued and again when rendered), e.g. List-Unsubscribe.
ALTER TABLE outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '';
