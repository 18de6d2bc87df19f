-- 0034_registration_count_deltas (Postgres): registrations counted for a company and not yet added to its account row.
-- Every node's registration writers insert a row per company and batch here instead of updating the account row, which
-- made them queue on its lock from the update to the commit (issue 23); RegistrationCountFolder adds the rows to the
-- accounts every few seconds, and the summary adds what is still pending.
CREATE TABLE registration_count_deltas (
    id text NOT NULL,
    company_id text NOT NULL,
    count integer NOT NULL,
    CONSTRAINT pk_registration_count_deltas PRIMARY KEY (id)
);
CREATE INDEX ix_registration_count_deltas_company_id ON registration_count_deltas (company_id);
