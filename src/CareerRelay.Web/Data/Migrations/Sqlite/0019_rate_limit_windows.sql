-- 0019_rate_limit_windows (Sqlite): the shared rate-limit table; with SQLite there is one node, so it stays empty.
CREATE TABLE "rate_limit_windows" (
    "window_start" INTEGER NOT NULL,
    "bucket" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    CONSTRAINT "pk_rate_limit_windows" PRIMARY KEY ("window_start", "bucket")
);
