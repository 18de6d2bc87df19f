-- 0008_surveys (Sqlite): the one-question satisfaction survey, its answer (comment sealed with the candidate's key) and status.
CREATE TABLE "surveys" (
    "id" TEXT NOT NULL CONSTRAINT "pk_surveys" PRIMARY KEY,
    "candidate_id" TEXT NOT NULL,
    "registration_id" TEXT NOT NULL,
    "company_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "due_at" TEXT NOT NULL,
    "sent_at" TEXT NULL,
    "answered_at" TEXT NULL,
    "score" INTEGER NULL,
    "comment" BLOB NULL
);
CREATE INDEX "ix_surveys_company_id_status" ON "surveys" ("company_id", "status");
CREATE INDEX "ix_surveys_registration_id" ON "surveys" ("registration_id");
CREATE INDEX "ix_surveys_status_due_at" ON "surveys" ("status", "due_at");
CREATE UNIQUE INDEX "ix_surveys_token_hash" ON "surveys" ("token_hash");
