-- 0014_import_uploads (Sqlite): a console CSV upload kept sealed between its preview and the import (an hour at most).
CREATE TABLE "import_uploads" (
    "id" TEXT NOT NULL CONSTRAINT "pk_import_uploads" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "file" BLOB NOT NULL,
    "encoding" TEXT NULL,
    "lang" TEXT NOT NULL,
    "send_time" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_import_uploads_company_id_id" ON "import_uploads" ("company_id", "id");
CREATE INDEX "ix_import_uploads_created_at" ON "import_uploads" ("created_at");
