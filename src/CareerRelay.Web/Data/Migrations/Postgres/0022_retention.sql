-- 0022_retention (Postgres): an agency's refund rule, a placement's employment type, the follow-ups that fell due (定着確認) and what the agency recorded.
ALTER TABLE agencies ADD COLUMN refund_rule text;
ALTER TABLE placements ADD COLUMN employment_type text;

CREATE TABLE placement_checks (
    id text NOT NULL,
    placement_id text NOT NULL,
    agency_id text NOT NULL,
    candidate_id text NOT NULL,
    month integer NOT NULL,
    due_on date NOT NULL,
    created_at timestamp with time zone NOT NULL,
    person_token_hash text,
    person_answer text,
    person_answered_at timestamp with time zone,
    CONSTRAINT pk_placement_checks PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_placement_checks_placement_id_month ON placement_checks (placement_id, month);
CREATE INDEX ix_placement_checks_agency_id ON placement_checks (agency_id);
CREATE INDEX ix_placement_checks_candidate_id ON placement_checks (candidate_id);
CREATE UNIQUE INDEX ix_placement_checks_person_token_hash ON placement_checks (person_token_hash);

CREATE TABLE placement_follow_ups (
    id text NOT NULL,
    placement_id text NOT NULL,
    agency_id text NOT NULL,
    sequence integer NOT NULL,
    check_month integer NOT NULL,
    status text NOT NULL,
    left_on date,
    reason text,
    actor_id text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_placement_follow_ups PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_placement_follow_ups_placement_id_sequence ON placement_follow_ups (placement_id, sequence);
CREATE INDEX ix_placement_follow_ups_agency_id ON placement_follow_ups (agency_id);
CREATE INDEX ix_ledger_entries_reference ON ledger_entries (reference);
