-- 0029_review_desk (Postgres): the operator's review desk — every note, release, reversal, ban and unban with who did it; links
-- and referrers the operator banned; and the source (?src=) of a referral application.
CREATE TABLE review_actions (
    id text NOT NULL,
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    action text NOT NULL,
    actor_id text NOT NULL,
    actor_name text NOT NULL,
    note text,
    signal text,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_review_actions PRIMARY KEY (id)
);
CREATE INDEX ix_review_actions_subject_type_subject_id_created_at ON review_actions (subject_type, subject_id, created_at);
CREATE INDEX ix_review_actions_action_created_at ON review_actions (action, created_at);

ALTER TABLE relay_links ADD COLUMN banned_at timestamp with time zone;
ALTER TABLE referrers ADD COLUMN banned_at timestamp with time zone;
ALTER TABLE referral_applications ADD COLUMN source text NOT NULL DEFAULT 'other';
