-- 0014_import_uploads (Postgres): a console CSV upload kept sealed between its preview and the import (an hour at most).
CREATE TABLE import_uploads (
    id text NOT NULL,
    company_id text NOT NULL,
    file bytea NOT NULL,
    encoding text,
    lang text NOT NULL,
    send_time text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_import_uploads PRIMARY KEY (id)
);
CREATE INDEX ix_import_uploads_company_id_id ON import_uploads (company_id, id);
CREATE INDEX ix_import_uploads_created_at ON import_uploads (created_at);
