-- 0025_alumni (Postgres): a company's alumni links (アルムナイ), the people who joined through them (what they entered sealed with
-- their own key) and the company's records of re-hires and contracts.
CREATE TABLE alumni_links (
    id text NOT NULL,
    company_id text NOT NULL,
    token text NOT NULL,
    label text NOT NULL,
    message text,
    paused boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_alumni_links PRIMARY KEY (id)
);
CREATE INDEX ix_alumni_links_company_id_id ON alumni_links (company_id, id);
CREATE UNIQUE INDEX ix_alumni_links_token ON alumni_links (token);

CREATE TABLE alumni_members (
    id text NOT NULL,
    company_id text NOT NULL,
    link_id text NOT NULL,
    candidate_id text NOT NULL,
    status text NOT NULL,
    details bytea NOT NULL,
    job_mails boolean NOT NULL,
    career_support boolean NOT NULL,
    code_hash text NOT NULL,
    code_expires_at timestamp with time zone NOT NULL,
    ip_hash text NOT NULL,
    lang text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    confirmed_at timestamp with time zone,
    left_at timestamp with time zone,
    CONSTRAINT pk_alumni_members PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_alumni_members_company_id_candidate_id ON alumni_members (company_id, candidate_id);
CREATE INDEX ix_alumni_members_company_id_status_id ON alumni_members (company_id, status, id);
CREATE INDEX ix_alumni_members_candidate_id ON alumni_members (candidate_id);
CREATE INDEX ix_alumni_members_code_hash ON alumni_members (code_hash);

CREATE TABLE alumni_rehires (
    id text NOT NULL,
    company_id text NOT NULL,
    member_id text NOT NULL,
    "on" date NOT NULL,
    kind text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_alumni_rehires PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_alumni_rehires_member_id_on_kind ON alumni_rehires (member_id, "on", kind);
CREATE INDEX ix_alumni_rehires_company_id_on ON alumni_rehires (company_id, "on");

-- A referrer made from an alumni member (one per member).
ALTER TABLE referrers ADD COLUMN alumni_member_id text;
CREATE UNIQUE INDEX ix_referrers_alumni_member_id ON referrers (alumni_member_id);
