-- 0019_rate_limit_windows (Postgres): public requests per client address (keyed hash) and minute, summed over every node.
-- Unlogged: the counts live a minute or two and need no crash safety or replication; losing them after a crash only
-- resets the current minute's limits.
CREATE UNLOGGED TABLE rate_limit_windows (
    window_start bigint NOT NULL,
    bucket text NOT NULL,
    hits integer NOT NULL,
    CONSTRAINT pk_rate_limit_windows PRIMARY KEY (window_start, bucket)
);
