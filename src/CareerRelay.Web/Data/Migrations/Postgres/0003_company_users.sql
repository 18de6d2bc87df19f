-- 0003_company_users (Postgres): people who sign in to the company console, and their single-use sign-in links.
CREATE TABLE company_users (
    id text NOT NULL,
    company_id text NOT NULL,
    email character varying(254) NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_sign_in_at timestamp with time zone,
    disabled_at timestamp with time zone,
    CONSTRAINT pk_company_users PRIMARY KEY (id)
);

CREATE TABLE sign_in_tokens (
    token_hash text NOT NULL,
    user_id text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT pk_sign_in_tokens PRIMARY KEY (token_hash)
);

CREATE INDEX ix_company_users_company_id_id ON company_users (company_id, id);
CREATE UNIQUE INDEX ix_company_users_email ON company_users (email);
CREATE INDEX ix_sign_in_tokens_user_id ON sign_in_tokens (user_id);

-- Existing companies: their contact becomes the first admin (when no other company shares that address).
INSERT INTO company_users (id, company_id, email, role, created_at)
SELECT id, id, contact_email, 'admin', created_at FROM companies
WHERE contact_email IN (SELECT contact_email FROM companies GROUP BY contact_email HAVING count(*) = 1);
