-- 0025_alumni (Sqlite): a company's alumni links (アルムナイ), the people who joined through them (what they entered sealed with
-- their own key) and the company's records of re-hires and contracts.
CREATE TABLE "alumni_links" (
    "id" TEXT NOT NULL CONSTRAINT "pk_alumni_links" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "message" TEXT NULL,
    "paused" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_alumni_links_company_id_id" ON "alumni_links" ("company_id", "id");
CREATE UNIQUE INDEX "ix_alumni_links_token" ON "alumni_links" ("token");

CREATE TABLE "alumni_members" (
    "id" TEXT NOT NULL CONSTRAINT "pk_alumni_members" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "link_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "details" BLOB NOT NULL,
    "job_mails" INTEGER NOT NULL,
    "career_support" INTEGER NOT NULL,
    "code_hash" TEXT NOT NULL,
    "code_expires_at" TEXT NOT NULL,
    "ip_hash" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "confirmed_at" TEXT NULL,
    "left_at" TEXT NULL
);
CREATE UNIQUE INDEX "ix_alumni_members_company_id_candidate_id" ON "alumni_members" ("company_id", "candidate_id");
CREATE INDEX "ix_alumni_members_company_id_status_id" ON "alumni_members" ("company_id", "status", "id");
CREATE INDEX "ix_alumni_members_candidate_id" ON "alumni_members" ("candidate_id");
CREATE INDEX "ix_alumni_members_code_hash" ON "alumni_members" ("code_hash");

CREATE TABLE "alumni_rehires" (
    "id" TEXT NOT NULL CONSTRAINT "pk_alumni_rehires" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "on" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_alumni_rehires_member_id_on_kind" ON "alumni_rehires" ("member_id", "on", "kind");
CREATE INDEX "ix_alumni_rehires_company_id_on" ON "alumni_rehires" ("company_id", "on");

-- A referrer made from an alumni member (one per member).
ALTER TABLE "referrers" ADD COLUMN "alumni_member_id" TEXT NULL;
CREATE UNIQUE INDEX "ix_referrers_alumni_member_id" ON "referrers" ("alumni_member_id");
