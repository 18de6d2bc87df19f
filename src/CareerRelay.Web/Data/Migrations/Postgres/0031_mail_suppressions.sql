-- 0031_mail_suppressions (Postgres): addresses a receiving server refused for good, by keyed hash (never the address).
CREATE TABLE mail_suppressions (
    address_hash text NOT NULL,
    status_code integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_mail_suppressions PRIMARY KEY (address_hash)
);
