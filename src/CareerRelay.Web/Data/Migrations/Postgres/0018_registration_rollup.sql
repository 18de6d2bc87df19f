-- 0018_registration_rollup (Postgres): the company summary's registration counts kept on the account (P4), filled from the rows.
ALTER TABLE company_accounts ADD COLUMN registration_count integer NOT NULL DEFAULT 0;
ALTER TABLE company_accounts ADD COLUMN verified_count integer NOT NULL DEFAULT 0;
ALTER TABLE company_accounts ADD COLUMN held_count integer NOT NULL DEFAULT 0;
UPDATE company_accounts a SET
    registration_count = (SELECT count(*) FROM registrations r WHERE r.company_id = a.company_id),
    verified_count = (SELECT count(*) FROM registrations r WHERE r.company_id = a.company_id AND r.status <> 'pending_verification'),
    held_count = (SELECT count(*) FROM registrations r WHERE r.company_id = a.company_id AND r.status = 'held');
