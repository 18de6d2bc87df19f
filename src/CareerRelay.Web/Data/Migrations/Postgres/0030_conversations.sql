-- 0030_conversations (Postgres): reaching the person — message threads between an agency and a person (text sealed with the
-- person's key) and the agencies a person blocked; 面談 proposals with their times; LINE links, link codes, webhook event
-- ids already handled, pushes waiting to go, and when a person on LINE was reminded to confirm a registration.
CREATE TABLE messages (
    id text NOT NULL,
    agency_id text NOT NULL,
    candidate_id text NOT NULL,
    sender text NOT NULL,
    sender_id text NOT NULL,
    body bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    read_at timestamp with time zone,
    CONSTRAINT pk_messages PRIMARY KEY (id)
);
CREATE INDEX ix_messages_agency_id_candidate_id_id ON messages (agency_id, candidate_id, id);
CREATE INDEX ix_messages_candidate_id_id ON messages (candidate_id, id);
CREATE INDEX ix_messages_sender_id_created_at ON messages (sender_id, created_at);

CREATE TABLE message_blocks (
    candidate_id text NOT NULL,
    agency_id text NOT NULL,
    blocked_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_message_blocks PRIMARY KEY (candidate_id, agency_id)
);

CREATE TABLE interviews (
    id text NOT NULL,
    agency_id text NOT NULL,
    candidate_id text NOT NULL,
    status text NOT NULL,
    mode text NOT NULL,
    place text,
    chosen_slot_id text,
    sequence integer NOT NULL,
    proposed_by text NOT NULL,
    organizer_email text NOT NULL,
    invited boolean NOT NULL,
    remind_at timestamp with time zone,
    reminded_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_interviews PRIMARY KEY (id)
);
CREATE INDEX ix_interviews_agency_id_candidate_id_created_at ON interviews (agency_id, candidate_id, created_at);
CREATE INDEX ix_interviews_candidate_id_created_at ON interviews (candidate_id, created_at);
CREATE INDEX ix_interviews_status_remind_at ON interviews (status, remind_at);

CREATE TABLE interview_slots (
    id text NOT NULL,
    interview_id text NOT NULL,
    start_at timestamp with time zone NOT NULL,
    end_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_interview_slots PRIMARY KEY (id)
);
CREATE INDEX ix_interview_slots_interview_id_start_at ON interview_slots (interview_id, start_at);

CREATE TABLE line_links (
    candidate_id text NOT NULL,
    user_id_hash text NOT NULL,
    sealed_user_id bytea NOT NULL,
    sealed_display_name bytea,
    notify boolean NOT NULL,
    linked_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_line_links PRIMARY KEY (candidate_id)
);
CREATE UNIQUE INDEX ix_line_links_user_id_hash ON line_links (user_id_hash);

CREATE TABLE line_link_codes (
    code_hash text NOT NULL,
    candidate_id text NOT NULL,
    sealed_code bytea NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_line_link_codes PRIMARY KEY (code_hash)
);
CREATE INDEX ix_line_link_codes_candidate_id ON line_link_codes (candidate_id);

CREATE TABLE line_webhook_events (
    event_id text NOT NULL,
    received_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_line_webhook_events PRIMARY KEY (event_id)
);

CREATE TABLE line_pushes (
    id text NOT NULL,
    candidate_id text NOT NULL,
    kind text NOT NULL,
    payload bytea NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    locked_until timestamp with time zone,
    retry_key text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    last_error text,
    CONSTRAINT pk_line_pushes PRIMARY KEY (id)
);
CREATE INDEX ix_line_pushes_status_next_attempt_at ON line_pushes (status, next_attempt_at);
CREATE INDEX ix_line_pushes_candidate_id ON line_pushes (candidate_id);

-- A person on LINE is reminded once to confirm a registration still waiting after a day.
ALTER TABLE registrations ADD COLUMN confirm_reminded_at timestamp with time zone;
