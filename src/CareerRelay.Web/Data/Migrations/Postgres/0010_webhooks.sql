-- 0010_webhooks (Postgres): outbound webhook endpoints (secret sealed with the system key) and the delivery outbox and log.
CREATE TABLE webhook_endpoints (
    id text NOT NULL,
    tenant_type text NOT NULL,
    tenant_id text NOT NULL,
    url text NOT NULL,
    secret bytea NOT NULL,
    events text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    disabled_at timestamp with time zone,
    CONSTRAINT pk_webhook_endpoints PRIMARY KEY (id)
);
CREATE TABLE webhook_deliveries (
    id text NOT NULL,
    endpoint_id text NOT NULL,
    event_id text NOT NULL,
    type text NOT NULL,
    payload text NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    last_status_code integer,
    last_error text,
    created_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id)
);
CREATE INDEX ix_webhook_deliveries_endpoint_id_created_at ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX ix_webhook_deliveries_status_next_attempt_at ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX ix_webhook_endpoints_tenant_id_id ON webhook_endpoints (tenant_id, id);
