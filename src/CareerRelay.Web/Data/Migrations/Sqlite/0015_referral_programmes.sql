-- 0015_referral_programmes (Sqlite): inbound referral programmes, referrers (link token; status token hashed), and referred applications (shared data sealed with the person's key).
CREATE TABLE "referral_programmes" (
    "id" TEXT NOT NULL CONSTRAINT "pk_referral_programmes" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "recognition" TEXT NOT NULL,
    "points_per_referral" INTEGER NOT NULL,
    "points_per_hire" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE TABLE "referrers" (
    "id" TEXT NOT NULL CONSTRAINT "pk_referrers" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "programme_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "link_token" TEXT NOT NULL,
    "status_token_hash" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "deactivated_at" TEXT NULL
);
CREATE TABLE "referral_applications" (
    "id" TEXT NOT NULL CONSTRAINT "pk_referral_applications" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "referrer_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "shared" BLOB NOT NULL,
    "notes" BLOB NULL,
    "thanks" TEXT NULL,
    "code_hash" TEXT NOT NULL,
    "code_expires_at" TEXT NOT NULL,
    "ip_hash" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "passed_screening" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "verified_at" TEXT NULL,
    "stage_changed_at" TEXT NULL
);
CREATE INDEX "ix_referral_applications_candidate_id" ON "referral_applications" ("candidate_id");
CREATE UNIQUE INDEX "ix_referral_applications_code_hash" ON "referral_applications" ("code_hash");
CREATE INDEX "ix_referral_applications_company_id_stage" ON "referral_applications" ("company_id", "stage");
CREATE INDEX "ix_referral_applications_referrer_id_created_at" ON "referral_applications" ("referrer_id", "created_at");
CREATE INDEX "ix_referral_programmes_company_id_id" ON "referral_programmes" ("company_id", "id");
CREATE INDEX "ix_referrers_company_id_id" ON "referrers" ("company_id", "id");
CREATE UNIQUE INDEX "ix_referrers_link_token" ON "referrers" ("link_token");
CREATE UNIQUE INDEX "ix_referrers_status_token_hash" ON "referrers" ("status_token_hash");
