-- 0021_erasures (Sqlite): who was erased and when (pseudonymous ids only), to erase them again after a restore.
CREATE TABLE "erasures" (
    "candidate_id" TEXT NOT NULL CONSTRAINT "pk_erasures" PRIMARY KEY,
    "erased_at" TEXT NOT NULL
);
CREATE INDEX "ix_erasures_erased_at" ON "erasures" ("erased_at");
