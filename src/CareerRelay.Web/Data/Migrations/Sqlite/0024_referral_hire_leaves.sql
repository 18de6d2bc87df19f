-- 0024_referral_hire_leaves (Sqlite): when a referral hire started and, if the company recorded it, left (the retention of referral hires).
ALTER TABLE "referral_applications" ADD COLUMN "hired_on" TEXT NULL;
ALTER TABLE "referral_applications" ADD COLUMN "left_on" TEXT NULL;
-- Hires made before this: the day they were moved to 入社, in Japan time.
UPDATE "referral_applications" SET "hired_on" = date("stage_changed_at", '+9 hours') WHERE "stage" = 'hired' AND "stage_changed_at" IS NOT NULL;
