-- 0020_invitation_rollup (Postgres): the summary's invitationsSent and slotsEarned kept on the account (P4), filled from the rows.
ALTER TABLE company_accounts ADD COLUMN invitation_count integer NOT NULL DEFAULT 0;
UPDATE company_accounts a SET invitation_count = (SELECT count(*) FROM invitations i WHERE i.company_id = a.company_id);
ALTER TABLE company_accounts ADD COLUMN slots_earned integer NOT NULL DEFAULT 0;
UPDATE company_accounts a SET slots_earned = (SELECT count(*) FILTER (WHERE e.type IN ('slot.earned', 'slot.placement_reward'))
                                                   - count(*) FILTER (WHERE e.type IN ('slot.reversed', 'slot.owed'))
                                              FROM ledger_entries e WHERE e.company_id = a.company_id);
