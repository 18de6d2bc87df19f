-- 0004_console_reports_keys_totp (Postgres): daily click rollup for trends and monthly reports, API key last use,
-- and optional two-factor (TOTP) sign-in for console users.
CREATE TABLE link_click_days (
    link_id text NOT NULL,
    day date NOT NULL,
    company_id text NOT NULL,
    clicks bigint NOT NULL,
    CONSTRAINT pk_link_click_days PRIMARY KEY (link_id, day)
);
CREATE INDEX ix_link_click_days_company_id_day ON link_click_days (company_id, day);

ALTER TABLE api_keys ADD COLUMN last_used_at timestamp with time zone;

ALTER TABLE company_users ADD COLUMN totp_secret bytea;
ALTER TABLE company_users ADD COLUMN totp_enabled_at timestamp with time zone;
ALTER TABLE company_users ADD COLUMN totp_last_step bigint;

ALTER TABLE sign_in_tokens ADD COLUMN code_attempts integer NOT NULL DEFAULT 0;
