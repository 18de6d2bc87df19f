-- 0029_review_desk (Sqlite): the operator's review desk — every note, release, reversal, ban and unban with who did it; links
-- and referrers the operator banned; and the source (?src=) of a referral application.
CREATE TABLE "review_actions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_review_actions" PRIMARY KEY,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_name" TEXT NOT NULL,
    "note" TEXT NULL,
    "signal" TEXT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_review_actions_subject_type_subject_id_created_at" ON "review_actions" ("subject_type", "subject_id", "created_at");
CREATE INDEX "ix_review_actions_action_created_at" ON "review_actions" ("action", "created_at");

ALTER TABLE "relay_links" ADD COLUMN "banned_at" TEXT NULL;
ALTER TABLE "referrers" ADD COLUMN "banned_at" TEXT NULL;
ALTER TABLE "referral_applications" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'other';
