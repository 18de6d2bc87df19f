-- 0032_education (Postgres): schools and training providers as tenants (教育機関パートナー). A person's tie to a partner school with
-- their consents to share outcomes (and their name); providers' courses; people's requests to a provider (what they sent, sealed
-- with their key) with the completion the provider recorded and the person confirmed; the person's opt-in to course suggestions.
CREATE TABLE education_partners (
    id text NOT NULL,
    name character varying(200) NOT NULL,
    kind text NOT NULL,
    contact_email character varying(254) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_education_partners PRIMARY KEY (id)
);
CREATE INDEX ix_education_partners_kind_name ON education_partners (kind, name);

CREATE TABLE school_links (
    candidate_id text NOT NULL,
    school_id text NOT NULL,
    graduation_year integer,
    share_outcomes boolean NOT NULL,
    share_name boolean NOT NULL,
    consented_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_school_links PRIMARY KEY (candidate_id)
);
CREATE INDEX ix_school_links_school_id_graduation_year ON school_links (school_id, graduation_year);

CREATE TABLE courses (
    id text NOT NULL,
    provider_id text NOT NULL,
    title character varying(200) NOT NULL,
    description text NOT NULL,
    skills text[] NOT NULL,
    hours integer NOT NULL,
    price_yen integer NOT NULL,
    mode text NOT NULL,
    prefecture text,
    benefit_eligible boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    CONSTRAINT pk_courses PRIMARY KEY (id)
);
CREATE INDEX ix_courses_provider_id_id ON courses (provider_id, id);

CREATE TABLE course_requests (
    id text NOT NULL,
    course_id text NOT NULL,
    provider_id text NOT NULL,
    candidate_id text NOT NULL,
    items text NOT NULL,
    details bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    completed_on date,
    completion_recorded_at timestamp with time zone,
    completion_confirmed_at timestamp with time zone,
    completion_declined_at timestamp with time zone,
    CONSTRAINT pk_course_requests PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_course_requests_course_id_candidate_id ON course_requests (course_id, candidate_id);
CREATE INDEX ix_course_requests_provider_id_id ON course_requests (provider_id, id);
CREATE INDEX ix_course_requests_candidate_id ON course_requests (candidate_id);

-- Off until the person turns it on (/me): courses for the skills their recommended jobs ask and they lack.
ALTER TABLE candidates ADD COLUMN course_suggestions boolean NOT NULL DEFAULT false;
