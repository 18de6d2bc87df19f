-- 0002_idempotency (Sqlite): first answers to POSTs that carried an Idempotency-Key (SPEC §6).
CREATE TABLE "idempotency_records" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER NOT NULL,
    "content_type" TEXT NULL,
    "response" BLOB NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_idempotency_records" PRIMARY KEY ("scope", "key")
);

CREATE INDEX "ix_idempotency_records_created_at" ON "idempotency_records" ("created_at");
