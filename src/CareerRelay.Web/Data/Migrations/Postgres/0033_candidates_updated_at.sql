-- 0033_candidates_updated_at (Postgres): every node's match index follows the people changed since it last looked
-- (MatchIndexFollower, every 5 s). Without this index that was a sequential scan of the whole candidates table each time:
-- its cost grew with every person registered (issue 23). Built in the migration's transaction: writes to candidates wait
-- for it (seconds at a million people).
CREATE INDEX ix_candidates_updated_at ON candidates (updated_at);
