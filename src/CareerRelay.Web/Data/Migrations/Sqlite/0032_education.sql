-- 0032_education (Sqlite): schools and training providers as tenants (教育機関パートナー). A person's tie to a partner school with
-- their consents to share outcomes (and their name); providers' courses; people's requests to a provider (what they sent, sealed
-- with their key) with the completion the provider recorded and the person confirmed; the person's opt-in to course suggestions.
CREATE TABLE "education_partners" (
    "id" TEXT NOT NULL CONSTRAINT "pk_education_partners" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "contact_email" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_education_partners_kind_name" ON "education_partners" ("kind", "name");

CREATE TABLE "school_links" (
    "candidate_id" TEXT NOT NULL CONSTRAINT "pk_school_links" PRIMARY KEY,
    "school_id" TEXT NOT NULL,
    "graduation_year" INTEGER NULL,
    "share_outcomes" INTEGER NOT NULL,
    "share_name" INTEGER NOT NULL,
    "consented_at" TEXT NULL,
    "updated_at" TEXT NOT NULL
);
CREATE INDEX "ix_school_links_school_id_graduation_year" ON "school_links" ("school_id", "graduation_year");

CREATE TABLE "courses" (
    "id" TEXT NOT NULL CONSTRAINT "pk_courses" PRIMARY KEY,
    "provider_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "skills" TEXT NOT NULL,
    "hours" INTEGER NOT NULL,
    "price_yen" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "prefecture" TEXT NULL,
    "benefit_eligible" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "closed_at" TEXT NULL
);
CREATE INDEX "ix_courses_provider_id_id" ON "courses" ("provider_id", "id");

CREATE TABLE "course_requests" (
    "id" TEXT NOT NULL CONSTRAINT "pk_course_requests" PRIMARY KEY,
    "course_id" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "items" TEXT NOT NULL,
    "details" BLOB NOT NULL,
    "created_at" TEXT NOT NULL,
    "completed_on" TEXT NULL,
    "completion_recorded_at" TEXT NULL,
    "completion_confirmed_at" TEXT NULL,
    "completion_declined_at" TEXT NULL
);
CREATE UNIQUE INDEX "ix_course_requests_course_id_candidate_id" ON "course_requests" ("course_id", "candidate_id");
CREATE INDEX "ix_course_requests_provider_id_id" ON "course_requests" ("provider_id", "id");
CREATE INDEX "ix_course_requests_candidate_id" ON "course_requests" ("candidate_id");

-- Off until the person turns it on (/me): courses for the skills their recommended jobs ask and they lack.
ALTER TABLE "candidates" ADD COLUMN "course_suggestions" INTEGER NOT NULL DEFAULT 0;
