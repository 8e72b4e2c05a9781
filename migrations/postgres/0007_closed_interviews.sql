-- Interviews left open by applications closed before closing cancelled them:
-- withdrawn or rejected ones lose their proposed and confirmed interviews, hired
-- ones their proposals still waiting for a choice (as the code now does), so
-- nobody is asked to choose a time or arrange an interpreter for them.
UPDATE interviews SET status = 'cancelled',
    updated_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
WHERE (status IN ('proposed', 'confirmed')
       AND application_id IN (SELECT id FROM applications WHERE stage IN ('withdrawn', 'rejected')))
   OR (status = 'proposed'
       AND application_id IN (SELECT id FROM applications WHERE stage = 'hired'));
