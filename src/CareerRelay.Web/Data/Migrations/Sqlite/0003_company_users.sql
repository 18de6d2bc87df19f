-- 0003_company_users (Sqlite): people who sign in to the company console, and their single-use sign-in links.
CREATE TABLE "company_users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_company_users" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "last_sign_in_at" TEXT NULL,
    "disabled_at" TEXT NULL
);

CREATE TABLE "sign_in_tokens" (
    "token_hash" TEXT NOT NULL CONSTRAINT "pk_sign_in_tokens" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    "used_at" TEXT NULL
);

CREATE INDEX "ix_company_users_company_id_id" ON "company_users" ("company_id", "id");
CREATE UNIQUE INDEX "ix_company_users_email" ON "company_users" ("email");
CREATE INDEX "ix_sign_in_tokens_user_id" ON "sign_in_tokens" ("user_id");

-- Existing companies: their contact becomes the first admin (when no other company shares that address).
INSERT INTO company_users (id, company_id, email, role, created_at)
SELECT id, id, contact_email, 'admin', created_at FROM companies
WHERE contact_email IN (SELECT contact_email FROM companies GROUP BY contact_email HAVING count(*) = 1);
