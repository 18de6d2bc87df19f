-- 0006_agency_support (Postgres): the agency's support pipeline, placements, introductions, and who fulfilled a redemption.
CREATE TABLE pipeline_events (
    id text NOT NULL,
    agency_id text NOT NULL,
    candidate_id text NOT NULL,
    type text NOT NULL,
    note bytea,
    job_id text,
    actor_id text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_pipeline_events PRIMARY KEY (id)
);

CREATE TABLE agency_candidates (
    agency_id text NOT NULL,
    candidate_id text NOT NULL,
    stage text NOT NULL,
    first_contacted_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_agency_candidates PRIMARY KEY (agency_id, candidate_id)
);

CREATE TABLE placements (
    id text NOT NULL,
    agency_id text NOT NULL,
    candidate_id text NOT NULL,
    job_id text,
    company_id text,
    hiring_company_name text,
    start_date date NOT NULL,
    redemption_id text,
    referring_company_id text,
    business_key text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_placements PRIMARY KEY (id)
);

CREATE TABLE introductions (
    id text NOT NULL,
    agency_id text NOT NULL,
    candidate_id text NOT NULL,
    job_id text NOT NULL,
    company_id text NOT NULL,
    status text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    decided_at timestamp with time zone,
    CONSTRAINT pk_introductions PRIMARY KEY (id)
);

CREATE INDEX ix_agency_candidates_agency_id_stage ON agency_candidates (agency_id, stage);
CREATE INDEX ix_introductions_agency_id_candidate_id ON introductions (agency_id, candidate_id);
CREATE INDEX ix_introductions_candidate_id ON introductions (candidate_id);
CREATE INDEX ix_introductions_company_id_status ON introductions (company_id, status);
CREATE INDEX ix_pipeline_events_agency_id_candidate_id_created_at ON pipeline_events (agency_id, candidate_id, created_at);
CREATE INDEX ix_placements_agency_id_id ON placements (agency_id, id);
CREATE UNIQUE INDEX ix_placements_business_key ON placements (business_key);
CREATE INDEX ix_placements_referring_company_id ON placements (referring_company_id);

ALTER TABLE redemptions ADD COLUMN placement_id text;
ALTER TABLE redemptions ADD COLUMN accepted_by_agency_id text;
