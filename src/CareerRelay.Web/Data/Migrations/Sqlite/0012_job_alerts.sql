-- 0012_job_alerts (Sqlite): when the weekly job alert was last considered for a person.
ALTER TABLE "candidates" ADD COLUMN "last_job_alert_at" TEXT NULL;
