-- 0028_link_sources (Sqlite): where people came from (?src=) — each link's allowed sources, each registration's source, and
-- clicks per link, day and source.
ALTER TABLE "relay_links" ADD COLUMN "sources" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "registrations" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'other';

CREATE TABLE "link_source_days" (
    "link_id" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "company_id" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL,
    CONSTRAINT "pk_link_source_days" PRIMARY KEY ("link_id", "day", "source")
);
CREATE INDEX "ix_link_source_days_company_id_day" ON "link_source_days" ("company_id", "day");

-- Clicks before sources existed came from somewhere unnamed.
INSERT INTO "link_source_days" ("link_id", "day", "source", "company_id", "clicks")
SELECT "link_id", "day", 'other', "company_id", "clicks" FROM "link_click_days";
