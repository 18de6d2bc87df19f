-- 0011_job_matching_fields (Sqlite): what matching needs of a job besides its required skills.
ALTER TABLE "jobs" ADD COLUMN "preferred_skills" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "jobs" ADD COLUMN "remote_allowed" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "jobs" ADD COLUMN "years_required" INTEGER NULL;
