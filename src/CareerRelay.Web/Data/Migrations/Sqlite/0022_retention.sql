-- 0022_retention (Sqlite): an agency's refund rule, a placement's employment type, the follow-ups that fell due (定着確認) and what the agency recorded.
ALTER TABLE "agencies" ADD COLUMN "refund_rule" TEXT NULL;
ALTER TABLE "placements" ADD COLUMN "employment_type" TEXT NULL;

CREATE TABLE "placement_checks" (
    "id" TEXT NOT NULL CONSTRAINT "pk_placement_checks" PRIMARY KEY,
    "placement_id" TEXT NOT NULL,
    "agency_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "month" INTEGER NOT NULL,
    "due_on" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "person_token_hash" TEXT NULL,
    "person_answer" TEXT NULL,
    "person_answered_at" TEXT NULL
);
CREATE UNIQUE INDEX "ix_placement_checks_placement_id_month" ON "placement_checks" ("placement_id", "month");
CREATE INDEX "ix_placement_checks_agency_id" ON "placement_checks" ("agency_id");
CREATE INDEX "ix_placement_checks_candidate_id" ON "placement_checks" ("candidate_id");
CREATE UNIQUE INDEX "ix_placement_checks_person_token_hash" ON "placement_checks" ("person_token_hash");

CREATE TABLE "placement_follow_ups" (
    "id" TEXT NOT NULL CONSTRAINT "pk_placement_follow_ups" PRIMARY KEY,
    "placement_id" TEXT NOT NULL,
    "agency_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "check_month" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "left_on" TEXT NULL,
    "reason" TEXT NULL,
    "actor_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_placement_follow_ups_placement_id_sequence" ON "placement_follow_ups" ("placement_id", "sequence");
CREATE INDEX "ix_placement_follow_ups_agency_id" ON "placement_follow_ups" ("agency_id");
CREATE INDEX "ix_ledger_entries_reference" ON "ledger_entries" ("reference");
