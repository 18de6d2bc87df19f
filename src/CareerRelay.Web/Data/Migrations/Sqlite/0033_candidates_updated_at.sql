-- 0033_candidates_updated_at (Sqlite): every node's match index follows the people changed since it last looked
-- (MatchIndexFollower, every 5 s). Without this index that was a scan of the whole candidates table each time: its cost
-- grew with every person registered (issue 23: the product's reads per registration doubled over 250,000 rows).
CREATE INDEX "ix_candidates_updated_at" ON "candidates" ("updated_at");
