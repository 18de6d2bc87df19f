-- 0013_integrations (Postgres): read-only API keys and rotation; ATS connections, rejection events and entrusted (委託) mail.
ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'write';
ALTER TABLE api_keys ADD COLUMN expires_at timestamp with time zone;
CREATE TABLE ats_connections (
    id text NOT NULL,
    company_id text NOT NULL,
    system text NOT NULL,
    secret bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT pk_ats_connections PRIMARY KEY (id)
);
CREATE TABLE ats_events (
    company_id text NOT NULL,
    event_id text NOT NULL,
    type text NOT NULL,
    application_id text NOT NULL,
    answer bytea NOT NULL,
    invited boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_ats_events PRIMARY KEY (company_id, event_id)
);
CREATE TABLE entrusted_mails (
    id text NOT NULL,
    company_id text NOT NULL,
    application_id text NOT NULL,
    source text NOT NULL,
    outbox_mail_id text NOT NULL,
    lang text NOT NULL,
    send_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    cancelled_at timestamp with time zone,
    purged_at timestamp with time zone,
    outcome text,
    CONSTRAINT pk_entrusted_mails PRIMARY KEY (id)
);
CREATE TABLE entrusted_settings (
    company_id text NOT NULL,
    tone text NOT NULL,
    link_id text,
    send_time text NOT NULL,
    sender_name text,
    CONSTRAINT pk_entrusted_settings PRIMARY KEY (company_id)
);
CREATE INDEX ix_ats_connections_company_id_id ON ats_connections (company_id, id);
CREATE INDEX ix_ats_events_company_id_application_id_created_at ON ats_events (company_id, application_id, created_at);
CREATE INDEX ix_entrusted_mails_company_id_application_id ON entrusted_mails (company_id, application_id);
CREATE INDEX ix_entrusted_mails_company_id_id ON entrusted_mails (company_id, id);
CREATE INDEX ix_entrusted_mails_purged_at_send_at ON entrusted_mails (purged_at, send_at);
