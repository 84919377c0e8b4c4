-- Idempotency keys are remembered for 24 hours, long enough for any client's retries; after that
-- the hourly maintenance job (the maintenance connection, never mlops_app) forgets them. As with
-- invitations, the policies show that connection exactly the rows it may remove.
CREATE POLICY idempotency_records_expired_cleanup ON "idempotency_records" FOR DELETE
  USING (app_is_maintenance() AND "created_at" < now() - interval '24 hours');
CREATE POLICY idempotency_records_expired_cleanup_read ON "idempotency_records" FOR SELECT
  USING (app_is_maintenance() AND "created_at" < now() - interval '24 hours');
