-- 0023_selection_stages (Postgres): how far a rejected application got (選考ステップ), carried by its invitation, and whether
-- the entrusted rejection mail's tone follows it.
ALTER TABLE invitations ADD COLUMN stage text;
ALTER TABLE entrusted_settings ADD COLUMN tone_follows_stage boolean NOT NULL DEFAULT TRUE;
