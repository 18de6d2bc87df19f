-- 0016_consortia (Postgres): named partnerships of companies (invite code hashed) and their members.
CREATE TABLE consortia (
    id text NOT NULL,
    name text NOT NULL,
    invite_code_hash text NOT NULL,
    created_by_company_id text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_consortia PRIMARY KEY (id)
);
CREATE TABLE consortium_members (
    consortium_id text NOT NULL,
    company_id text NOT NULL,
    joined_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_consortium_members PRIMARY KEY (consortium_id, company_id)
);
CREATE UNIQUE INDEX ix_consortia_invite_code_hash ON consortia (invite_code_hash);
CREATE INDEX ix_consortium_members_company_id ON consortium_members (company_id);
