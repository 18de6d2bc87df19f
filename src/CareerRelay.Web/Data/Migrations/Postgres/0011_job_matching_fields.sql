-- 0011_job_matching_fields (Postgres): what matching needs of a job besides its required skills.
ALTER TABLE jobs ADD COLUMN preferred_skills text[] NOT NULL DEFAULT '{}';
ALTER TABLE jobs ALTER COLUMN preferred_skills DROP DEFAULT;
ALTER TABLE jobs ADD COLUMN remote_allowed boolean NOT NULL DEFAULT false;
ALTER TABLE jobs ALTER COLUMN remote_allowed DROP DEFAULT;
ALTER TABLE jobs ADD COLUMN years_required integer;
