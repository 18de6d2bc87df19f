-- 0023_selection_stages (Sqlite): how far a rejected application got (選考ステップ), carried by its invitation, and whether
-- the entrusted rejection mail's tone follows it.
ALTER TABLE "invitations" ADD COLUMN "stage" TEXT NULL;
ALTER TABLE "entrusted_settings" ADD COLUMN "tone_follows_stage" INTEGER NOT NULL DEFAULT 1;
