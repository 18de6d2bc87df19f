-- 0006_agency_support (Sqlite): the agency's support pipeline, placements, introductions, and who fulfilled a redemption.
CREATE TABLE "pipeline_events" (
    "id" TEXT NOT NULL CONSTRAINT "pk_pipeline_events" PRIMARY KEY,
    "agency_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "note" BLOB NULL,
    "job_id" TEXT NULL,
    "actor_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);

CREATE TABLE "agency_candidates" (
    "agency_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "first_contacted_at" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "pk_agency_candidates" PRIMARY KEY ("agency_id", "candidate_id")
);

CREATE TABLE "placements" (
    "id" TEXT NOT NULL CONSTRAINT "pk_placements" PRIMARY KEY,
    "agency_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "job_id" TEXT NULL,
    "company_id" TEXT NULL,
    "hiring_company_name" TEXT NULL,
    "start_date" TEXT NOT NULL,
    "redemption_id" TEXT NULL,
    "referring_company_id" TEXT NULL,
    "business_key" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);

CREATE TABLE "introductions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_introductions" PRIMARY KEY,
    "agency_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "company_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "decided_at" TEXT NULL
);

CREATE INDEX "ix_agency_candidates_agency_id_stage" ON "agency_candidates" ("agency_id", "stage");
CREATE INDEX "ix_introductions_agency_id_candidate_id" ON "introductions" ("agency_id", "candidate_id");
CREATE INDEX "ix_introductions_candidate_id" ON "introductions" ("candidate_id");
CREATE INDEX "ix_introductions_company_id_status" ON "introductions" ("company_id", "status");
CREATE INDEX "ix_pipeline_events_agency_id_candidate_id_created_at" ON "pipeline_events" ("agency_id", "candidate_id", "created_at");
CREATE INDEX "ix_placements_agency_id_id" ON "placements" ("agency_id", "id");
CREATE UNIQUE INDEX "ix_placements_business_key" ON "placements" ("business_key");
CREATE INDEX "ix_placements_referring_company_id" ON "placements" ("referring_company_id");

ALTER TABLE "redemptions" ADD COLUMN "placement_id" TEXT NULL;
ALTER TABLE "redemptions" ADD COLUMN "accepted_by_agency_id" TEXT NULL;
