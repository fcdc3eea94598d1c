-- Deliveries PENDING before the outbox relay existed already have their job (a fan-out job, a retry
-- waiting out its backoff): marked as taken, so a relay looking for unannounced deliveries at its
-- first start leaves them to that job (src/delivery/relay.ts).
UPDATE "escalation_integrations" SET "leaseUntil" = 'epoch' WHERE status = 'PENDING' AND "leaseUntil" IS NULL;
