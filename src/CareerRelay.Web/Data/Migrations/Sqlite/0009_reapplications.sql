-- 0009_reapplications (Sqlite): a candidate's request to be considered again by the company that rejected them, with what they chose to share (sealed).
CREATE TABLE "reapplications" (
    "id" TEXT NOT NULL CONSTRAINT "pk_reapplications" PRIMARY KEY,
    "candidate_id" TEXT NOT NULL,
    "company_id" TEXT NOT NULL,
    "shared_items" TEXT NOT NULL,
    "shared_profile" BLOB NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_reapplications_candidate_id_company_id" ON "reapplications" ("candidate_id", "company_id");
CREATE INDEX "ix_reapplications_company_id_created_at" ON "reapplications" ("company_id", "created_at");
