-- 0027_experiments (Sqlite): rejection-mail A/B tests on a link — the experiments, their variants (with their click counts),
-- each invitation's experiment and variant, and the wording a link's mail uses once a variant is promoted.
CREATE TABLE "experiments" (
    "id" TEXT NOT NULL CONSTRAINT "pk_experiments" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "link_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "running_link_id" TEXT NULL,
    "winner" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "ended_at" TEXT NULL
);
CREATE INDEX "ix_experiments_company_id_created_at" ON "experiments" ("company_id", "created_at");
CREATE UNIQUE INDEX "ix_experiments_running_link_id" ON "experiments" ("running_link_id");

CREATE TABLE "experiment_variants" (
    "experiment_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "tone" TEXT NULL,
    "text" TEXT NULL,
    "clicks" INTEGER NOT NULL,
    CONSTRAINT "pk_experiment_variants" PRIMARY KEY ("experiment_id", "key")
);

ALTER TABLE "invitations" ADD COLUMN "experiment_id" TEXT NULL;
ALTER TABLE "invitations" ADD COLUMN "variant" TEXT NULL;
CREATE INDEX "ix_invitations_experiment_id_variant" ON "invitations" ("experiment_id", "variant");

ALTER TABLE "relay_links" ADD COLUMN "template_tone" TEXT NULL;
ALTER TABLE "relay_links" ADD COLUMN "template_text" TEXT NULL;
