-- 0013_integrations (Sqlite): read-only API keys and rotation; ATS connections, rejection events and entrusted (委託) mail.
ALTER TABLE "api_keys" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'write';
ALTER TABLE "api_keys" ADD COLUMN "expires_at" TEXT NULL;
CREATE TABLE "ats_connections" (
    "id" TEXT NOT NULL CONSTRAINT "pk_ats_connections" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "secret" BLOB NOT NULL,
    "created_at" TEXT NOT NULL,
    "revoked_at" TEXT NULL
);
CREATE TABLE "ats_events" (
    "company_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "application_id" TEXT NOT NULL,
    "answer" BLOB NOT NULL,
    "invited" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_ats_events" PRIMARY KEY ("company_id", "event_id")
);
CREATE TABLE "entrusted_mails" (
    "id" TEXT NOT NULL CONSTRAINT "pk_entrusted_mails" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "application_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "outbox_mail_id" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "send_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "cancelled_at" TEXT NULL,
    "purged_at" TEXT NULL,
    "outcome" TEXT NULL
);
CREATE TABLE "entrusted_settings" (
    "company_id" TEXT NOT NULL CONSTRAINT "pk_entrusted_settings" PRIMARY KEY,
    "tone" TEXT NOT NULL,
    "link_id" TEXT NULL,
    "send_time" TEXT NOT NULL,
    "sender_name" TEXT NULL
);
CREATE INDEX "ix_ats_connections_company_id_id" ON "ats_connections" ("company_id", "id");
CREATE INDEX "ix_ats_events_company_id_application_id_created_at" ON "ats_events" ("company_id", "application_id", "created_at");
CREATE INDEX "ix_entrusted_mails_company_id_application_id" ON "entrusted_mails" ("company_id", "application_id");
CREATE INDEX "ix_entrusted_mails_company_id_id" ON "entrusted_mails" ("company_id", "id");
CREATE INDEX "ix_entrusted_mails_purged_at_send_at" ON "entrusted_mails" ("purged_at", "send_at");
