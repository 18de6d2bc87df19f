-- 0005_candidate_self_service (Sqlite): the candidate's own sign-in links (/me), their résumé (sealed with their key),
-- and their opt-in to non-transactional mail.
CREATE TABLE "me_tokens" (
    "token_hash" TEXT NOT NULL CONSTRAINT "pk_me_tokens" PRIMARY KEY,
    "candidate_id" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_me_tokens_candidate_id" ON "me_tokens" ("candidate_id");

CREATE TABLE "candidate_files" (
    "candidate_id" TEXT NOT NULL CONSTRAINT "pk_candidate_files" PRIMARY KEY,
    "sealed_name" BLOB NOT NULL,
    "content" BLOB NOT NULL,
    "size" INTEGER NOT NULL,
    "uploaded_at" TEXT NOT NULL
);

ALTER TABLE "candidates" ADD COLUMN "recommendation_mails" INTEGER NOT NULL DEFAULT 0;
