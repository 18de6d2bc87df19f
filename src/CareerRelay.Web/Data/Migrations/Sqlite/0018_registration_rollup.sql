-- 0018_registration_rollup (Sqlite): the company summary's registration counts kept on the account (P4), filled from the rows.
ALTER TABLE "company_accounts" ADD COLUMN "registration_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "company_accounts" ADD COLUMN "verified_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "company_accounts" ADD COLUMN "held_count" INTEGER NOT NULL DEFAULT 0;
UPDATE "company_accounts" SET
    "registration_count" = (SELECT count(*) FROM "registrations" r WHERE r."company_id" = "company_accounts"."company_id"),
    "verified_count" = (SELECT count(*) FROM "registrations" r WHERE r."company_id" = "company_accounts"."company_id" AND r."status" <> 'pending_verification'),
    "held_count" = (SELECT count(*) FROM "registrations" r WHERE r."company_id" = "company_accounts"."company_id" AND r."status" = 'held');
