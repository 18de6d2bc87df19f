-- 0015_referral_programmes (Postgres): inbound referral programmes, referrers (link token; status token hashed), and referred applications (shared data sealed with the person's key).
CREATE TABLE referral_programmes (
    id text NOT NULL,
    company_id text NOT NULL,
    name text NOT NULL,
    recognition text NOT NULL,
    points_per_referral integer NOT NULL,
    points_per_hire integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_referral_programmes PRIMARY KEY (id)
);
CREATE TABLE referrers (
    id text NOT NULL,
    company_id text NOT NULL,
    programme_id text NOT NULL,
    type text NOT NULL,
    name text NOT NULL,
    link_token text NOT NULL,
    status_token_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    deactivated_at timestamp with time zone,
    CONSTRAINT pk_referrers PRIMARY KEY (id)
);
CREATE TABLE referral_applications (
    id text NOT NULL,
    company_id text NOT NULL,
    job_id text NOT NULL,
    referrer_id text NOT NULL,
    candidate_id text NOT NULL,
    stage text NOT NULL,
    shared bytea NOT NULL,
    notes bytea,
    thanks text,
    code_hash text NOT NULL,
    code_expires_at timestamp with time zone NOT NULL,
    ip_hash text NOT NULL,
    lang text NOT NULL,
    passed_screening boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    verified_at timestamp with time zone,
    stage_changed_at timestamp with time zone,
    CONSTRAINT pk_referral_applications PRIMARY KEY (id)
);
CREATE INDEX ix_referral_applications_candidate_id ON referral_applications (candidate_id);
CREATE UNIQUE INDEX ix_referral_applications_code_hash ON referral_applications (code_hash);
CREATE INDEX ix_referral_applications_company_id_stage ON referral_applications (company_id, stage);
CREATE INDEX ix_referral_applications_referrer_id_created_at ON referral_applications (referrer_id, created_at);
CREATE INDEX ix_referral_programmes_company_id_id ON referral_programmes (company_id, id);
CREATE INDEX ix_referrers_company_id_id ON referrers (company_id, id);
CREATE UNIQUE INDEX ix_referrers_link_token ON referrers (link_token);
CREATE UNIQUE INDEX ix_referrers_status_token_hash ON referrers (status_token_hash);
