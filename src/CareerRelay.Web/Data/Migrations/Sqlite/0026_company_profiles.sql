-- 0026_company_profiles (Sqlite): a company's public face — the slug of /c/{slug}, whether it is public, its message, directory listing.
CREATE TABLE "company_profiles" (
    "company_id" TEXT NOT NULL CONSTRAINT "pk_company_profiles" PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "public" INTEGER NOT NULL,
    "message" TEXT NULL,
    "show_in_directory" INTEGER NOT NULL,
    "updated_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_company_profiles_slug" ON "company_profiles" ("slug");
