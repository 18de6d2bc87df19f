-- 0010_webhooks (Sqlite): outbound webhook endpoints (secret sealed with the system key) and the delivery outbox and log.
CREATE TABLE "webhook_endpoints" (
    "id" TEXT NOT NULL CONSTRAINT "pk_webhook_endpoints" PRIMARY KEY,
    "tenant_type" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" BLOB NOT NULL,
    "events" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "disabled_at" TEXT NULL
);
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL CONSTRAINT "pk_webhook_deliveries" PRIMARY KEY,
    "endpoint_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "last_status_code" INTEGER NULL,
    "last_error" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "delivered_at" TEXT NULL
);
CREATE INDEX "ix_webhook_deliveries_endpoint_id_created_at" ON "webhook_deliveries" ("endpoint_id", "created_at");
CREATE INDEX "ix_webhook_deliveries_status_next_attempt_at" ON "webhook_deliveries" ("status", "next_attempt_at");
CREATE INDEX "ix_webhook_endpoints_tenant_id_id" ON "webhook_endpoints" ("tenant_id", "id");
