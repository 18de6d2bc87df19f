-- 0005_candidate_self_service (Postgres): the candidate's own sign-in links (/me), their résumé (sealed with their key),
-- and their opt-in to non-transactional mail.
CREATE TABLE me_tokens (
    token_hash text NOT NULL,
    candidate_id text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_me_tokens PRIMARY KEY (token_hash)
);
CREATE INDEX ix_me_tokens_candidate_id ON me_tokens (candidate_id);

CREATE TABLE candidate_files (
    candidate_id text NOT NULL,
    sealed_name bytea NOT NULL,
    content bytea NOT NULL,
    size integer NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_candidate_files PRIMARY KEY (candidate_id)
);

ALTER TABLE candidates ADD COLUMN recommendation_mails boolean NOT NULL DEFAULT false;
