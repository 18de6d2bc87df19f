-- 0016_consortia (Sqlite): named partnerships of companies (invite code hashed) and their members.
CREATE TABLE "consortia" (
    "id" TEXT NOT NULL CONSTRAINT "pk_consortia" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "invite_code_hash" TEXT NOT NULL,
    "created_by_company_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE TABLE "consortium_members" (
    "consortium_id" TEXT NOT NULL,
    "company_id" TEXT NOT NULL,
    "joined_at" TEXT NOT NULL,
    CONSTRAINT "pk_consortium_members" PRIMARY KEY ("consortium_id", "company_id")
);
CREATE UNIQUE INDEX "ix_consortia_invite_code_hash" ON "consortia" ("invite_code_hash");
CREATE INDEX "ix_consortium_members_company_id" ON "consortium_members" ("company_id");
