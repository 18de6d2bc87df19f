-- 0012_job_alerts (Postgres): when the weekly job alert was last considered for a person.
ALTER TABLE candidates ADD COLUMN last_job_alert_at timestamp with time zone;
