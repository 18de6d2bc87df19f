-- 0031_mail_suppressions (Sqlite): addresses a receiving server refused for good, by keyed hash (never the address).
CREATE TABLE "mail_suppressions" (
    "address_hash" TEXT NOT NULL CONSTRAINT "pk_mail_suppressions" PRIMARY KEY,
    "status_code" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL
);
