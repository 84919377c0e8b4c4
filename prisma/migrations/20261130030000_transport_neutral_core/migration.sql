-- System actors (scheduled and queued jobs) are recorded by job name, not by a user or key id.
ALTER TABLE "audit_events" ALTER COLUMN "actor_id" TYPE TEXT;

-- An idempotent write replays the stored result of its use case; how a transport reports it (an
-- HTTP status) is the transport's business, so it is no longer stored.
ALTER TABLE "idempotency_records" DROP COLUMN "response_status";
