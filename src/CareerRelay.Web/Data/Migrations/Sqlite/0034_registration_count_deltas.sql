-- 0034_registration_count_deltas (Sqlite): registrations counted for a company and not yet added to its account row.
-- Written on PostgreSQL only (writers of several nodes side by side must not queue on one account row); here the one
-- writer adds to the account directly and the table stays empty, but readers read it the same way on both.
CREATE TABLE "registration_count_deltas" (
    "id" TEXT NOT NULL CONSTRAINT "pk_registration_count_deltas" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "count" INTEGER NOT NULL
);
CREATE INDEX "ix_registration_count_deltas_company_id" ON "registration_count_deltas" ("company_id");
