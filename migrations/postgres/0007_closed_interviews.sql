-- Interviews of applications that were withdrawn or rejected before closing an
-- application cancelled its interviews: cancelled now, so nobody is asked to
-- choose a time or arrange an interpreter for them.
UPDATE interviews SET status = 'cancelled',
    updated_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
WHERE status IN ('proposed', 'confirmed')
  AND application_id IN (SELECT id FROM applications WHERE stage IN ('withdrawn', 'rejected'));
