-- 0027_experiments (Postgres): rejection-mail A/B tests on a link — the experiments, their variants (with their click counts),
-- each invitation's experiment and variant, and the wording a link's mail uses once a variant is promoted.
CREATE TABLE experiments (
    id text NOT NULL,
    company_id text NOT NULL,
    link_id text NOT NULL,
    name text NOT NULL,
    status text NOT NULL,
    running_link_id text,
    winner text,
    created_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    CONSTRAINT pk_experiments PRIMARY KEY (id)
);
CREATE INDEX ix_experiments_company_id_created_at ON experiments (company_id, created_at);
CREATE UNIQUE INDEX ix_experiments_running_link_id ON experiments (running_link_id);

CREATE TABLE experiment_variants (
    experiment_id text NOT NULL,
    key text NOT NULL,
    position integer NOT NULL,
    tone text,
    text text,
    clicks bigint NOT NULL,
    CONSTRAINT pk_experiment_variants PRIMARY KEY (experiment_id, key)
);

ALTER TABLE invitations ADD COLUMN experiment_id text;
ALTER TABLE invitations ADD COLUMN variant text;
CREATE INDEX ix_invitations_experiment_id_variant ON invitations (experiment_id, variant);

ALTER TABLE relay_links ADD COLUMN template_tone text;
ALTER TABLE relay_links ADD COLUMN template_text text;
