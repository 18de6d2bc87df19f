-- 0017_data_protection_keys (Sqlite): ASP.NET Core Data Protection keys shared by every node (key material sealed with our key).
CREATE TABLE "data_protection_keys" (
    "id" TEXT NOT NULL CONSTRAINT "pk_data_protection_keys" PRIMARY KEY,
    "xml" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_data_protection_keys_created_at" ON "data_protection_keys" ("created_at");
