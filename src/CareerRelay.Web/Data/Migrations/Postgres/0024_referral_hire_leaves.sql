-- 0024_referral_hire_leaves (Postgres): when a referral hire started and, if the company recorded it, left (the retention of referral hires).
ALTER TABLE referral_applications ADD COLUMN hired_on date;
ALTER TABLE referral_applications ADD COLUMN left_on date;
-- Hires made before this: the day they were moved to 入社, in Japan time.
UPDATE referral_applications SET hired_on = (stage_changed_at AT TIME ZONE 'Asia/Tokyo')::date WHERE stage = 'hired' AND stage_changed_at IS NOT NULL;
