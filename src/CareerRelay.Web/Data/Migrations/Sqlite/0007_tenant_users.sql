-- 0007_tenant_users (Sqlite): console users become tenant users — of a company (/console) or of an agency (/agency),
-- one sign-in for both. The table is rebuilt (SQLite cannot rename a primary-key constraint in place).
CREATE TABLE "tenant_users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_tenant_users" PRIMARY KEY,
    "tenant_type" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "last_sign_in_at" TEXT NULL,
    "disabled_at" TEXT NULL,
    "totp_secret" BLOB NULL,
    "totp_enabled_at" TEXT NULL,
    "totp_last_step" INTEGER NULL
);
INSERT INTO "tenant_users" (id, tenant_type, tenant_id, email, role, created_at, last_sign_in_at, disabled_at, totp_secret, totp_enabled_at, totp_last_step)
SELECT id, 'company', company_id, email, role, created_at, last_sign_in_at, disabled_at, totp_secret, totp_enabled_at, totp_last_step FROM "company_users";
DROP TABLE "company_users";
CREATE UNIQUE INDEX "ix_tenant_users_email" ON "tenant_users" ("email");
CREATE INDEX "ix_tenant_users_tenant_id_id" ON "tenant_users" ("tenant_id", "id");

-- Existing agencies: their contact becomes the first agency admin (when no user has that address yet).
INSERT INTO "tenant_users" (id, tenant_type, tenant_id, email, role, created_at)
SELECT id, 'agency', id, lower(trim(contact_email)), 'admin', created_at FROM agencies
WHERE lower(trim(contact_email)) NOT IN (SELECT email FROM tenant_users)
  AND lower(trim(contact_email)) IN (SELECT lower(trim(contact_email)) FROM agencies GROUP BY lower(trim(contact_email)) HAVING count(*) = 1);
