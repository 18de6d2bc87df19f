-- 0021_erasures (Postgres): who was erased and when (pseudonymous ids only), to erase them again after a restore.
CREATE TABLE erasures (
    candidate_id text NOT NULL,
    erased_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_erasures PRIMARY KEY (candidate_id)
);
CREATE INDEX ix_erasures_erased_at ON erasures (erased_at);
