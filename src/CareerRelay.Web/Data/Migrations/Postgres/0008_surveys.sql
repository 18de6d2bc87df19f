-- 0008_surveys (Postgres): the one-question satisfaction survey, its answer (comment sealed with the candidate's key) and status.
CREATE TABLE surveys (
    id text NOT NULL,
    candidate_id text NOT NULL,
    registration_id text NOT NULL,
    company_id text NOT NULL,
    token_hash text NOT NULL,
    status text NOT NULL,
    due_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    answered_at timestamp with time zone,
    score integer,
    comment bytea,
    CONSTRAINT pk_surveys PRIMARY KEY (id)
);
CREATE INDEX ix_surveys_company_id_status ON surveys (company_id, status);
CREATE INDEX ix_surveys_registration_id ON surveys (registration_id);
CREATE INDEX ix_surveys_status_due_at ON surveys (status, due_at);
CREATE UNIQUE INDEX ix_surveys_token_hash ON surveys (token_hash);
