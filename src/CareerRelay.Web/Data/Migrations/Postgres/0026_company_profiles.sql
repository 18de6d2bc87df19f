-- 0026_company_profiles (Postgres): a company's public face — the slug of /c/{slug}, whether it is public, its message, directory listing.
CREATE TABLE company_profiles (
    company_id text NOT NULL,
    slug character varying(40) NOT NULL,
    public boolean NOT NULL,
    message text,
    show_in_directory boolean NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_company_profiles PRIMARY KEY (company_id)
);
CREATE UNIQUE INDEX ix_company_profiles_slug ON company_profiles (slug);
