-- 0001_initial (Postgres): the relay core schema. Generated from the EF model with `schema-script`, then reviewed.
-- Never edit an applied script: add 0002_… instead. The schema test compares these scripts with the model.

CREATE TABLE agencies (
    id text NOT NULL,
    name character varying(200) NOT NULL,
    license_number character varying(50) NOT NULL,
    contact_email text NOT NULL,
    occupations text[] NOT NULL,
    fees text NOT NULL,
    complaint_contact text NOT NULL,
    privacy_policy_url text NOT NULL,
    license_expires_on date,
    suspended_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_agencies PRIMARY KEY (id)
);


CREATE TABLE api_keys (
    id text NOT NULL,
    role text NOT NULL,
    tenant_id text NOT NULL,
    key_hash text NOT NULL,
    prefix text NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT pk_api_keys PRIMARY KEY (id)
);


CREATE TABLE audit_entries (
    id text NOT NULL,
    actor_type text NOT NULL,
    actor_id text NOT NULL,
    action text NOT NULL,
    candidate_id text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_audit_entries PRIMARY KEY (id)
);


CREATE TABLE candidate_keys (
    candidate_id text NOT NULL,
    wrapped_key bytea NOT NULL,
    CONSTRAINT pk_candidate_keys PRIMARY KEY (candidate_id)
);


CREATE TABLE candidates (
    id text NOT NULL,
    email_hash text NOT NULL,
    phone_hash text,
    profile bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_candidates PRIMARY KEY (id)
);


CREATE TABLE companies (
    id text NOT NULL,
    name character varying(200) NOT NULL,
    contact_email character varying(254) NOT NULL,
    email_domain character varying(254) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_companies PRIMARY KEY (id)
);


CREATE TABLE company_accounts (
    company_id text NOT NULL,
    qualified_count integer NOT NULL,
    balance integer NOT NULL,
    slots_owed integer NOT NULL,
    CONSTRAINT pk_company_accounts PRIMARY KEY (company_id),
    CONSTRAINT ck_company_accounts_balance CHECK (balance >= 0),
    CONSTRAINT ck_company_accounts_qualified_count CHECK (qualified_count >= 0),
    CONSTRAINT ck_company_accounts_slots_owed CHECK (slots_owed >= 0)
);


CREATE TABLE company_partner_agencies (
    company_id text NOT NULL,
    agency_id text NOT NULL,
    CONSTRAINT pk_company_partner_agencies PRIMARY KEY (company_id, agency_id)
);


CREATE TABLE consent_notices (
    version integer NOT NULL,
    text_ja text NOT NULL,
    text_en text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_consent_notices PRIMARY KEY (version)
);


CREATE TABLE consents (
    id text NOT NULL,
    candidate_id text NOT NULL,
    registration_id text NOT NULL,
    agency_id text NOT NULL,
    notice_version integer NOT NULL,
    given_at timestamp with time zone NOT NULL,
    ip_hash text NOT NULL,
    withdrawn_at timestamp with time zone,
    CONSTRAINT pk_consents PRIMARY KEY (id)
);


CREATE TABLE invitations (
    id text NOT NULL,
    company_id text NOT NULL,
    link_id text NOT NULL,
    token_hash text NOT NULL,
    external_ref text,
    created_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    registration_id text,
    CONSTRAINT pk_invitations PRIMARY KEY (id)
);


CREATE TABLE jobs (
    id text NOT NULL,
    company_id text NOT NULL,
    title character varying(200) NOT NULL,
    description text NOT NULL,
    prefecture text NOT NULL,
    skills text[] NOT NULL,
    employment_type text NOT NULL,
    occupation_code text,
    salary_min integer,
    salary_max integer,
    status text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_jobs PRIMARY KEY (id)
);


CREATE TABLE ledger_entries (
    id text NOT NULL,
    company_id text NOT NULL,
    type text NOT NULL,
    amount integer NOT NULL,
    business_key text NOT NULL,
    reference text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_ledger_entries PRIMARY KEY (id)
);


CREATE TABLE outbox_mails (
    id text NOT NULL,
    candidate_id text,
    kind text NOT NULL,
    payload bytea NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    last_error text,
    CONSTRAINT pk_outbox_mails PRIMARY KEY (id)
);


CREATE TABLE person_bindings (
    key_hash text NOT NULL,
    registration_id text NOT NULL,
    bound_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_person_bindings PRIMARY KEY (key_hash)
);


CREATE TABLE provision_records (
    id text NOT NULL,
    candidate_id text NOT NULL,
    recipient_type text NOT NULL,
    recipient_id text NOT NULL,
    items text NOT NULL,
    basis text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_provision_records PRIMARY KEY (id)
);


CREATE TABLE redemptions (
    id text NOT NULL,
    company_id text NOT NULL,
    job_id text NOT NULL,
    status text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    cancelled_at timestamp with time zone,
    fulfilled_at timestamp with time zone,
    CONSTRAINT pk_redemptions PRIMARY KEY (id)
);


CREATE TABLE registrations (
    id text NOT NULL,
    company_id text NOT NULL,
    link_id text NOT NULL,
    invitation_id text,
    candidate_id text NOT NULL,
    email_hash text NOT NULL,
    phone_hash text,
    status text NOT NULL,
    code_hash text NOT NULL,
    code_expires_at timestamp with time zone NOT NULL,
    ip_hash text NOT NULL,
    submitted_profile bytea NOT NULL,
    lang text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    verified_at timestamp with time zone,
    qualified_at timestamp with time zone,
    reversed_at timestamp with time zone,
    hold_reason text,
    reverse_reason text,
    CONSTRAINT pk_registrations PRIMARY KEY (id)
);


CREATE TABLE relay_links (
    id text NOT NULL,
    company_id text NOT NULL,
    token text NOT NULL,
    label text NOT NULL,
    paused boolean NOT NULL,
    clicks bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_relay_links PRIMARY KEY (id)
);


CREATE UNIQUE INDEX ix_api_keys_key_hash ON api_keys (key_hash);


CREATE INDEX ix_api_keys_tenant_id_id ON api_keys (tenant_id, id);


CREATE INDEX ix_audit_entries_candidate_id_created_at ON audit_entries (candidate_id, created_at);


CREATE UNIQUE INDEX ix_candidates_email_hash ON candidates (email_hash);


CREATE INDEX ix_consents_agency_id_candidate_id ON consents (agency_id, candidate_id);


CREATE INDEX ix_consents_candidate_id ON consents (candidate_id);


CREATE INDEX ix_invitations_company_id_link_id ON invitations (company_id, link_id);


CREATE UNIQUE INDEX ix_invitations_token_hash ON invitations (token_hash);


CREATE INDEX ix_jobs_company_id_id ON jobs (company_id, id);


CREATE UNIQUE INDEX ix_ledger_entries_business_key ON ledger_entries (business_key);


CREATE INDEX ix_ledger_entries_company_id_id ON ledger_entries (company_id, id);


CREATE INDEX ix_ledger_entries_company_id_type ON ledger_entries (company_id, type);


CREATE INDEX ix_outbox_mails_candidate_id ON outbox_mails (candidate_id);


CREATE INDEX ix_outbox_mails_status_next_attempt_at ON outbox_mails (status, next_attempt_at);


CREATE INDEX ix_provision_records_candidate_id_created_at ON provision_records (candidate_id, created_at);


CREATE INDEX ix_redemptions_company_id_id ON redemptions (company_id, id);


CREATE INDEX ix_redemptions_job_id_status ON redemptions (job_id, status);


CREATE INDEX ix_registrations_candidate_id ON registrations (candidate_id);


CREATE UNIQUE INDEX ix_registrations_code_hash ON registrations (code_hash);


CREATE INDEX ix_registrations_company_id_id ON registrations (company_id, id);


CREATE INDEX ix_registrations_company_id_link_id_status ON registrations (company_id, link_id, status);


CREATE INDEX ix_registrations_email_hash_created_at ON registrations (email_hash, created_at);


CREATE INDEX ix_registrations_ip_hash_created_at ON registrations (ip_hash, created_at);


CREATE INDEX ix_registrations_link_id_qualified_at ON registrations (link_id, qualified_at);


CREATE INDEX ix_registrations_status_id ON registrations (status, id);


CREATE INDEX ix_relay_links_company_id_id ON relay_links (company_id, id);


CREATE UNIQUE INDEX ix_relay_links_token ON relay_links (token);

-- Version 1 of the consent notice, so a fresh install can register candidates at once.
INSERT INTO consent_notices (version, text_ja, text_en, created_at) VALUES (1, 'キャリアリレー 個人情報の取扱いについて

1. 事業者: キャリアリレー運営事務局（以下「当社」）は、本サービスを通じてあなたの個人情報を取得します。
2. 利用目的: あなたが選んだ人材紹介会社（有料職業紹介事業者）が、あなたにキャリア相談と求人紹介を行うため、および本人確認・不正防止のために利用します。
3. 第三者提供: あなたがチェックを入れた人材紹介会社にのみ、氏名・フリガナ・メールアドレス・電話番号・都道府県・希望職種・スキルを提供します。あなたが不採用となった企業には、あなたの個人情報を提供しません（件数などの統計のみを提供します）。提供の記録は法令に従い3年間保存します。
4. 同意の撤回と削除: いつでも、マイページから同意の撤回、データのダウンロード、削除を行えます。
5. 対象: 15歳以上の方で、学校を通じて就職活動をしている高校生ではない方が対象です。
6. お問い合わせ: 本通知の下部に記載の苦情・お問い合わせ窓口までご連絡ください。', 'CareerRelay: how we handle your personal data

1. Who: the CareerRelay operations office ("we") collects your personal data through this service.
2. Purpose: so that the placement agencies you choose (licensed fee-charging employment placement businesses) can give you career advice and introduce openings, and to confirm your identity and prevent fraud.
3. Provision to third parties: only the agencies you tick receive your name, name in katakana, email, phone, prefecture, desired occupation and skills. The company that rejected you never receives your personal data (only counts and statistics). Each hand-over is recorded and the record kept for 3 years, as the law requires.
4. Withdrawal and erasure: you can withdraw consent, download your data or erase it at any time from your own page.
5. Who may use it: people aged 15 or over who are not high-school students seeking work through their school.
6. Contact: see the complaints and enquiries contact at the foot of this page.', TIMESTAMPTZ '2026-11-21 00:00:00+00');
