-- 0002_idempotency (Postgres): first answers to POSTs that carried an Idempotency-Key (SPEC §6).
CREATE TABLE idempotency_records (
    scope text NOT NULL,
    key character varying(200) NOT NULL,
    request_hash text NOT NULL,
    status_code integer NOT NULL,
    content_type text,
    response bytea,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_idempotency_records PRIMARY KEY (scope, key)
);

CREATE INDEX ix_idempotency_records_created_at ON idempotency_records (created_at);
