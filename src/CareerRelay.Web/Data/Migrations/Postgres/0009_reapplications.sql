-- 0009_reapplications (Postgres): a candidate's request to be considered again by the company that rejected them, with what they chose to share (sealed).
CREATE TABLE reapplications (
    id text NOT NULL,
    candidate_id text NOT NULL,
    company_id text NOT NULL,
    shared_items text NOT NULL,
    shared_profile bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_reapplications PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_reapplications_candidate_id_company_id ON reapplications (candidate_id, company_id);
CREATE INDEX ix_reapplications_company_id_created_at ON reapplications (company_id, created_at);
