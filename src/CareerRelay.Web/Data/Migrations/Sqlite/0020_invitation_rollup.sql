-- 0020_invitation_rollup (Sqlite): the summary's invitationsSent and slotsEarned kept on the account (P4), filled from the rows.
ALTER TABLE "company_accounts" ADD COLUMN "invitation_count" INTEGER NOT NULL DEFAULT 0;
UPDATE "company_accounts" SET "invitation_count" = (SELECT count(*) FROM "invitations" i WHERE i."company_id" = "company_accounts"."company_id");
ALTER TABLE "company_accounts" ADD COLUMN "slots_earned" INTEGER NOT NULL DEFAULT 0;
UPDATE "company_accounts" SET "slots_earned" = (SELECT coalesce(sum(CASE WHEN e."type" IN ('slot.earned', 'slot.placement_reward') THEN 1
                                                                     WHEN e."type" IN ('slot.reversed', 'slot.owed') THEN -1 ELSE 0 END), 0)
                                               FROM "ledger_entries" e WHERE e."company_id" = "company_accounts"."company_id");
