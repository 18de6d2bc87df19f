-- 0001_initial (Sqlite): the relay core schema. Generated from the EF model with `schema-script`, then reviewed.
-- Never edit an applied script: add 0002_… instead. The schema test compares these scripts with the model.

CREATE TABLE "agencies" (
    "id" TEXT NOT NULL CONSTRAINT "pk_agencies" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "license_number" TEXT NOT NULL,
    "contact_email" TEXT NOT NULL,
    "occupations" TEXT NOT NULL,
    "fees" TEXT NOT NULL,
    "complaint_contact" TEXT NOT NULL,
    "privacy_policy_url" TEXT NOT NULL,
    "license_expires_on" TEXT NULL,
    "suspended_at" TEXT NULL,
    "created_at" TEXT NOT NULL
);


CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL CONSTRAINT "pk_api_keys" PRIMARY KEY,
    "role" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "revoked_at" TEXT NULL
);


CREATE TABLE "audit_entries" (
    "id" TEXT NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "candidate_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);


CREATE TABLE "candidate_keys" (
    "candidate_id" TEXT NOT NULL CONSTRAINT "pk_candidate_keys" PRIMARY KEY,
    "wrapped_key" BLOB NOT NULL
);


CREATE TABLE "candidates" (
    "id" TEXT NOT NULL CONSTRAINT "pk_candidates" PRIMARY KEY,
    "email_hash" TEXT NOT NULL,
    "phone_hash" TEXT NULL,
    "profile" BLOB NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);


CREATE TABLE "companies" (
    "id" TEXT NOT NULL CONSTRAINT "pk_companies" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contact_email" TEXT NOT NULL,
    "email_domain" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);


CREATE TABLE "company_accounts" (
    "company_id" TEXT NOT NULL CONSTRAINT "pk_company_accounts" PRIMARY KEY,
    "qualified_count" INTEGER NOT NULL,
    "balance" INTEGER NOT NULL,
    "slots_owed" INTEGER NOT NULL,
    CONSTRAINT "ck_company_accounts_balance" CHECK (balance >= 0),
    CONSTRAINT "ck_company_accounts_qualified_count" CHECK (qualified_count >= 0),
    CONSTRAINT "ck_company_accounts_slots_owed" CHECK (slots_owed >= 0)
);


CREATE TABLE "company_partner_agencies" (
    "company_id" TEXT NOT NULL,
    "agency_id" TEXT NOT NULL,
    CONSTRAINT "pk_company_partner_agencies" PRIMARY KEY ("company_id", "agency_id")
);


CREATE TABLE "consent_notices" (
    "version" INTEGER NOT NULL CONSTRAINT "pk_consent_notices" PRIMARY KEY,
    "text_ja" TEXT NOT NULL,
    "text_en" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);


CREATE TABLE "consents" (
    "id" TEXT NOT NULL CONSTRAINT "pk_consents" PRIMARY KEY,
    "candidate_id" TEXT NOT NULL,
    "registration_id" TEXT NOT NULL,
    "agency_id" TEXT NOT NULL,
    "notice_version" INTEGER NOT NULL,
    "given_at" TEXT NOT NULL,
    "ip_hash" TEXT NOT NULL,
    "withdrawn_at" TEXT NULL
);


CREATE TABLE "invitations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_invitations" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "link_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "external_ref" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "used_at" TEXT NULL,
    "registration_id" TEXT NULL
);


CREATE TABLE "jobs" (
    "id" TEXT NOT NULL CONSTRAINT "pk_jobs" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "prefecture" TEXT NOT NULL,
    "skills" TEXT NOT NULL,
    "employment_type" TEXT NOT NULL,
    "occupation_code" TEXT NULL,
    "salary_min" INTEGER NULL,
    "salary_max" INTEGER NULL,
    "status" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);


CREATE TABLE "ledger_entries" (
    "id" TEXT NOT NULL CONSTRAINT "pk_ledger_entries" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "business_key" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);


CREATE TABLE "outbox_mails" (
    "id" TEXT NOT NULL CONSTRAINT "pk_outbox_mails" PRIMARY KEY,
    "candidate_id" TEXT NULL,
    "kind" TEXT NOT NULL,
    "payload" BLOB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "locked_until" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "sent_at" TEXT NULL,
    "last_error" TEXT NULL
);


CREATE TABLE "person_bindings" (
    "key_hash" TEXT NOT NULL CONSTRAINT "pk_person_bindings" PRIMARY KEY,
    "registration_id" TEXT NOT NULL,
    "bound_at" TEXT NOT NULL
);


CREATE TABLE "provision_records" (
    "id" TEXT NOT NULL CONSTRAINT "pk_provision_records" PRIMARY KEY,
    "candidate_id" TEXT NOT NULL,
    "recipient_type" TEXT NOT NULL,
    "recipient_id" TEXT NOT NULL,
    "items" TEXT NOT NULL,
    "basis" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);


CREATE TABLE "redemptions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_redemptions" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "cancelled_at" TEXT NULL,
    "fulfilled_at" TEXT NULL
);


CREATE TABLE "registrations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_registrations" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "link_id" TEXT NOT NULL,
    "invitation_id" TEXT NULL,
    "candidate_id" TEXT NOT NULL,
    "email_hash" TEXT NOT NULL,
    "phone_hash" TEXT NULL,
    "status" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "code_expires_at" TEXT NOT NULL,
    "ip_hash" TEXT NOT NULL,
    "submitted_profile" BLOB NOT NULL,
    "lang" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "verified_at" TEXT NULL,
    "qualified_at" TEXT NULL,
    "reversed_at" TEXT NULL,
    "hold_reason" TEXT NULL,
    "reverse_reason" TEXT NULL
);


CREATE TABLE "relay_links" (
    "id" TEXT NOT NULL CONSTRAINT "pk_relay_links" PRIMARY KEY,
    "company_id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "paused" INTEGER NOT NULL,
    "clicks" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL
);


CREATE UNIQUE INDEX "ix_api_keys_key_hash" ON "api_keys" ("key_hash");


CREATE INDEX "ix_api_keys_tenant_id_id" ON "api_keys" ("tenant_id", "id");


CREATE INDEX "ix_audit_entries_candidate_id_created_at" ON "audit_entries" ("candidate_id", "created_at");


CREATE UNIQUE INDEX "ix_candidates_email_hash" ON "candidates" ("email_hash");


CREATE INDEX "ix_consents_agency_id_candidate_id" ON "consents" ("agency_id", "candidate_id");


CREATE INDEX "ix_consents_candidate_id" ON "consents" ("candidate_id");


CREATE INDEX "ix_invitations_company_id_link_id" ON "invitations" ("company_id", "link_id");


CREATE UNIQUE INDEX "ix_invitations_token_hash" ON "invitations" ("token_hash");


CREATE INDEX "ix_jobs_company_id_id" ON "jobs" ("company_id", "id");


CREATE UNIQUE INDEX "ix_ledger_entries_business_key" ON "ledger_entries" ("business_key");


CREATE INDEX "ix_ledger_entries_company_id_id" ON "ledger_entries" ("company_id", "id");


CREATE INDEX "ix_ledger_entries_company_id_type" ON "ledger_entries" ("company_id", "type");


CREATE INDEX "ix_outbox_mails_candidate_id" ON "outbox_mails" ("candidate_id");


CREATE INDEX "ix_outbox_mails_status_next_attempt_at" ON "outbox_mails" ("status", "next_attempt_at");


CREATE INDEX "ix_provision_records_candidate_id_created_at" ON "provision_records" ("candidate_id", "created_at");


CREATE INDEX "ix_redemptions_company_id_id" ON "redemptions" ("company_id", "id");


CREATE INDEX "ix_redemptions_job_id_status" ON "redemptions" ("job_id", "status");


CREATE INDEX "ix_registrations_candidate_id" ON "registrations" ("candidate_id");


CREATE UNIQUE INDEX "ix_registrations_code_hash" ON "registrations" ("code_hash");


CREATE INDEX "ix_registrations_company_id_id" ON "registrations" ("company_id", "id");


CREATE INDEX "ix_registrations_company_id_link_id_status" ON "registrations" ("company_id", "link_id", "status");


CREATE INDEX "ix_registrations_email_hash_created_at" ON "registrations" ("email_hash", "created_at");


CREATE INDEX "ix_registrations_ip_hash_created_at" ON "registrations" ("ip_hash", "created_at");


CREATE INDEX "ix_registrations_link_id_qualified_at" ON "registrations" ("link_id", "qualified_at");


CREATE INDEX "ix_registrations_status_id" ON "registrations" ("status", "id");


CREATE INDEX "ix_relay_links_company_id_id" ON "relay_links" ("company_id", "id");


CREATE UNIQUE INDEX "ix_relay_links_token" ON "relay_links" ("token");

-- Version 1 of the consent notice, so a fresh install can register candidates at once.
INSERT INTO consent_notices (version, text_ja, text_en, created_at) VALUES (1, 'キャリアリレー 個人情報の取扱いについて

1. 事業者: キャリアリレー運営事務局（以下「当社」）は、本サービスを通じてあなたの個人情報を取得します。
2. 利用目的: あなたが選んだ人材紹介会社（有料職業紹介事業者）が、あなたにキャリア相談と求人紹介を行うため、および本人確認・不正防止のために利用します。
3. 第三者提供: あなたがチェックを入れた人材紹介会社にのみ、氏名・フリガナ・メールアドレス・電話番号・都道府県・希望職種・スキルを提供します。あなたが不採用となった企業には、あなたの個人情報を提供しません（件数などの統計のみを提供します）。提供の記録は法令に従い3年間保存します。
4. 同意の撤回と削除: いつでも、マイページから同意の撤回、データのダウンロード、削除を行えます。
5. 対象: 15歳以上の方で、学校を通じて就職活動をしている高校生ではない方が対象です。
6. お問い合わせ: 本通知の下部に記載の苦情・お問い合わせ窓口までご連絡ください。', 'CareerRelay: how we handle your personal data

1. Who: the CareerRelay operations office ("we") collects your personal data through this service.
2. Purpose: so that the placement agencies you choose (licensed fee-charging employment placement businesses) can give you career advice and introduce openings, and to confirm your identity and prevent fraud.
3. Provision to third parties: only the agencies you tick receive your name, name in katakana, email, phone, prefecture, desired occupation and skills. The company that rejected you never receives your personal data (only counts and statistics). Each hand-over is recorded and the record kept for 3 years, as the law requires.
4. Withdrawal and erasure: you can withdraw consent, download your data or erase it at any time from your own page.
5. Who may use it: people aged 15 or over who are not high-school students seeking work through their school.
6. Contact: see the complaints and enquiries contact at the foot of this page.', '2026-11-21 00:00:00');
