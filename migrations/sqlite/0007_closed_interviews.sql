-- Interviews of applications that were withdrawn or rejected before closing an
-- application cancelled its interviews: cancelled now, so nobody is asked to
-- choose a time or arrange an interpreter for them.
UPDATE interviews SET status = 'cancelled', updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE status IN ('proposed', 'confirmed')
  AND application_id IN (SELECT id FROM applications WHERE stage IN ('withdrawn', 'rejected'));
