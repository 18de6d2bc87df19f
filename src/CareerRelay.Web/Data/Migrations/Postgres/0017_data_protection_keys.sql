-- 0017_data_protection_keys (Postgres): ASP.NET Core Data Protection keys shared by every node (key material sealed with our key).
CREATE TABLE data_protection_keys (
    id text NOT NULL,
    xml text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_data_protection_keys PRIMARY KEY (id)
);
CREATE INDEX ix_data_protection_keys_created_at ON data_protection_keys (created_at);
