-- System actors (scheduled and queued jobs) are recorded by job name, not by a user or key id.
ALTER TABLE "audit_events" ALTER COLUMN "actor_id" TYPE TEXT;
