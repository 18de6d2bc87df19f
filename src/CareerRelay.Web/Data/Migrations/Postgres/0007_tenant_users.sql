-- 0007_tenant_users (Postgres): console users become tenant users — of a company (/console) or of an agency (/agency),
-- one sign-in for both.
ALTER TABLE company_users RENAME TO tenant_users;
ALTER TABLE tenant_users RENAME CONSTRAINT pk_company_users TO pk_tenant_users;
ALTER TABLE tenant_users RENAME COLUMN company_id TO tenant_id;
ALTER TABLE tenant_users ADD COLUMN tenant_type text NOT NULL DEFAULT 'company';
ALTER TABLE tenant_users ALTER COLUMN tenant_type DROP DEFAULT;
ALTER INDEX ix_company_users_email RENAME TO ix_tenant_users_email;
ALTER INDEX ix_company_users_company_id_id RENAME TO ix_tenant_users_tenant_id_id;

-- Existing agencies: their contact becomes the first agency admin (when no user has that address yet).
INSERT INTO tenant_users (id, tenant_type, tenant_id, email, role, created_at)
SELECT id, 'agency', id, lower(trim(contact_email)), 'admin', created_at FROM agencies
WHERE lower(trim(contact_email)) NOT IN (SELECT email FROM tenant_users)
  AND lower(trim(contact_email)) IN (SELECT lower(trim(contact_email)) FROM agencies GROUP BY lower(trim(contact_email)) HAVING count(*) = 1);
