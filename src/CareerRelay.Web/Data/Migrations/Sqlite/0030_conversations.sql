-- 0030_conversations (Sqlite): reaching the person — message threads between an agency and a person (text sealed with the
-- person's key) and the agencies a person blocked; 面談 proposals with their times; LINE links, link codes, webhook event
-- ids already handled, pushes waiting to go, and when a person on LINE was reminded to confirm a registration.
CREATE TABLE "messages" (
    "id" TEXT NOT NULL CONSTRAINT "pk_messages" PRIMARY KEY,
    "agency_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "sender_id" TEXT NOT NULL,
    "body" BLOB NOT NULL,
    "created_at" TEXT NOT NULL,
    "read_at" TEXT NULL
);
CREATE INDEX "ix_messages_agency_id_candidate_id_id" ON "messages" ("agency_id", "candidate_id", "id");
CREATE INDEX "ix_messages_candidate_id_id" ON "messages" ("candidate_id", "id");
CREATE INDEX "ix_messages_sender_id_created_at" ON "messages" ("sender_id", "created_at");

CREATE TABLE "message_blocks" (
    "candidate_id" TEXT NOT NULL,
    "agency_id" TEXT NOT NULL,
    "blocked_at" TEXT NOT NULL,
    CONSTRAINT "pk_message_blocks" PRIMARY KEY ("candidate_id", "agency_id")
);

CREATE TABLE "interviews" (
    "id" TEXT NOT NULL CONSTRAINT "pk_interviews" PRIMARY KEY,
    "agency_id" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "place" TEXT NULL,
    "chosen_slot_id" TEXT NULL,
    "sequence" INTEGER NOT NULL,
    "proposed_by" TEXT NOT NULL,
    "organizer_email" TEXT NOT NULL,
    "invited" INTEGER NOT NULL,
    "remind_at" TEXT NULL,
    "reminded_at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);
CREATE INDEX "ix_interviews_agency_id_candidate_id_created_at" ON "interviews" ("agency_id", "candidate_id", "created_at");
CREATE INDEX "ix_interviews_candidate_id_created_at" ON "interviews" ("candidate_id", "created_at");
CREATE INDEX "ix_interviews_status_remind_at" ON "interviews" ("status", "remind_at");

CREATE TABLE "interview_slots" (
    "id" TEXT NOT NULL CONSTRAINT "pk_interview_slots" PRIMARY KEY,
    "interview_id" TEXT NOT NULL,
    "start_at" TEXT NOT NULL,
    "end_at" TEXT NOT NULL
);
CREATE INDEX "ix_interview_slots_interview_id_start_at" ON "interview_slots" ("interview_id", "start_at");

CREATE TABLE "line_links" (
    "candidate_id" TEXT NOT NULL CONSTRAINT "pk_line_links" PRIMARY KEY,
    "user_id_hash" TEXT NOT NULL,
    "sealed_user_id" BLOB NOT NULL,
    "sealed_display_name" BLOB NULL,
    "notify" INTEGER NOT NULL,
    "linked_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_line_links_user_id_hash" ON "line_links" ("user_id_hash");

CREATE TABLE "line_link_codes" (
    "code_hash" TEXT NOT NULL CONSTRAINT "pk_line_link_codes" PRIMARY KEY,
    "candidate_id" TEXT NOT NULL,
    "sealed_code" BLOB NOT NULL,
    "expires_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_line_link_codes_candidate_id" ON "line_link_codes" ("candidate_id");

CREATE TABLE "line_webhook_events" (
    "event_id" TEXT NOT NULL CONSTRAINT "pk_line_webhook_events" PRIMARY KEY,
    "received_at" TEXT NOT NULL
);

CREATE TABLE "line_pushes" (
    "id" TEXT NOT NULL CONSTRAINT "pk_line_pushes" PRIMARY KEY,
    "candidate_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" BLOB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "locked_until" TEXT NULL,
    "retry_key" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "sent_at" TEXT NULL,
    "last_error" TEXT NULL
);
CREATE INDEX "ix_line_pushes_status_next_attempt_at" ON "line_pushes" ("status", "next_attempt_at");
CREATE INDEX "ix_line_pushes_candidate_id" ON "line_pushes" ("candidate_id");

-- A person on LINE is reminded once to confirm a registration still waiting after a day.
ALTER TABLE "registrations" ADD COLUMN "confirm_reminded_at" TEXT NULL;
