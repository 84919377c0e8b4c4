-- CI evidence: integrations (signed webhook sources), the deliveries they receive (stored raw before
-- the 202), the evidence those deliveries (or CI scripts with an API key) produce, and each team's
-- current score (latest submitted assessment + fresh evidence), stored so reads never re-score.

CREATE TYPE "IntegrationKind" AS ENUM ('github', 'gitlab', 'generic');
CREATE TYPE "DeliveryStatus" AS ENUM ('received', 'processed', 'ignored', 'failed', 'dead');
CREATE TYPE "EvidenceSource" AS ENUM ('webhook', 'api');
-- Evidence that went stale re-scores a team too; its snapshots say so.
ALTER TYPE "SnapshotCause" ADD VALUE 'expiry';

CREATE TABLE "integrations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "kind" "IntegrationKind" NOT NULL,
    "name" TEXT NOT NULL,
    "team_id" UUID,
    "repositories" JSONB NOT NULL DEFAULT '[]',
    "rules" JSONB NOT NULL DEFAULT '[]',
    "branches" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "secret_ciphertext" TEXT NOT NULL,
    "previous_secret_ciphertext" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "lock_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    CONSTRAINT "integrations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "integrations_organization_id_id_key" ON "integrations"("organization_id", "id");
CREATE INDEX "integrations_organization_id_created_at_id_idx" ON "integrations"("organization_id", "created_at", "id");
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_organization_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE ON "integrations" TO mlops_app;

CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "provider" "IntegrationKind" NOT NULL,
    "event" TEXT,
    "provider_delivery_id" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "raw_body" BYTEA NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "outcome" JSONB,
    "last_error" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "webhook_deliveries_organization_id_id_key" ON "webhook_deliveries"("organization_id", "id");
-- The dedupe key: a provider's delivery id is processed once per integration, whichever API
-- process stored it first (INSERT ... ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX "webhook_deliveries_organization_id_integration_id_provider_d_key" ON "webhook_deliveries"("organization_id", "integration_id", "provider_delivery_id");
CREATE INDEX "webhook_deliveries_organization_id_integration_id_received__idx" ON "webhook_deliveries"("organization_id", "integration_id", "received_at", "id");
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_organization_id_integration_id_fkey"
  FOREIGN KEY ("organization_id", "integration_id") REFERENCES "integrations"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE ON "webhook_deliveries" TO mlops_app;

CREATE TABLE "evidence" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "criterion_key" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "url" TEXT,
    "commit_sha" TEXT,
    "observed_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "source" "EvidenceSource" NOT NULL,
    "batch_id" UUID NOT NULL,
    "delivery_id" UUID,
    "api_key_id" UUID,
    "run" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "evidence_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "evidence_organization_id_id_key" ON "evidence"("organization_id", "id");
-- A team's latest evidence per criterion, fresh or not (the re-score's DISTINCT ON, the list).
CREATE INDEX "evidence_organization_id_team_id_criterion_key_observed_at_idx" ON "evidence"("organization_id", "team_id", "criterion_key", "observed_at");
CREATE INDEX "evidence_organization_id_team_id_created_at_id_idx" ON "evidence"("organization_id", "team_id", "created_at", "id");
CREATE INDEX "evidence_organization_id_delivery_id_idx" ON "evidence"("organization_id", "delivery_id");
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_organization_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_organization_id_delivery_id_fkey"
  FOREIGN KEY ("organization_id", "delivery_id") REFERENCES "webhook_deliveries"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- Redelivering replaces what a delivery produced, so the application may delete evidence rows.
GRANT SELECT, INSERT, DELETE ON "evidence" TO mlops_app;

CREATE TABLE "team_scores" (
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "assessment_id" UUID,
    "result" JSONB NOT NULL,
    "cause" "SnapshotCause" NOT NULL,
    "cause_id" UUID NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "next_expiry_at" TIMESTAMPTZ(3),
    CONSTRAINT "team_scores_pkey" PRIMARY KEY ("organization_id", "team_id")
);
-- The expiry job's worklist: teams whose deciding evidence goes stale first.
CREATE INDEX "team_scores_next_expiry_at_idx" ON "team_scores"("next_expiry_at");
ALTER TABLE "team_scores" ADD CONSTRAINT "team_scores_organization_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "team_scores" ADD CONSTRAINT "team_scores_model_version_id_fkey"
  FOREIGN KEY ("model_version_id") REFERENCES "maturity_model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE ON "team_scores" TO mlops_app;

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['integrations', 'webhook_deliveries', 'evidence', 'team_scores']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (organization_id = app_current_organization_id()) '
      'WITH CHECK (organization_id = app_current_organization_id())', tenant_table);
  END LOOP;
END
$$;

-- The public ingest route knows only the integration id: this finds its organization and secrets
-- in one round trip. SECURITY DEFINER (run as the owner, whom row-level security also binds: the
-- two maintenance policies below show it integrations and team scores, nothing else) because no
-- tenant is set yet. It then enters that organization, so the organization's own policy decides
-- whether it is live. It answers for one live integration of a live organization.
CREATE POLICY integrations_ingest_lookup ON "integrations" FOR SELECT USING (app_is_maintenance());
CREATE POLICY team_scores_expiry_worklist ON "team_scores" FOR SELECT USING (app_is_maintenance());

CREATE FUNCTION app_integration_for_ingest(p_integration_id uuid)
  RETURNS TABLE (organization_id uuid, kind text, secret_ciphertext text,
                 previous_secret_ciphertext text, previous_secret_expires_at timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_organization_id uuid;
BEGIN
  SELECT i."organization_id" INTO v_organization_id
    FROM "integrations" i WHERE i."id" = p_integration_id AND i."deleted_at" IS NULL;
  IF v_organization_id IS NULL THEN
    RETURN;
  END IF;
  PERFORM set_config('app.organization_id', v_organization_id::text, true);
  RETURN QUERY
    SELECT i."organization_id", i."kind"::text, i."secret_ciphertext",
           i."previous_secret_ciphertext", i."previous_secret_expires_at"::timestamptz
      FROM "integrations" i
      JOIN "organizations" o ON o."id" = i."organization_id"
     WHERE i."id" = p_integration_id AND i."deleted_at" IS NULL AND o."deleted_at" IS NULL;
END
$$;
REVOKE ALL ON FUNCTION app_integration_for_ingest(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_integration_for_ingest(uuid) TO mlops_app;

-- The expiry job's worklist across tenants (ids only): teams whose deciding evidence has gone
-- stale by p_now. The job then re-scores each inside that team's own tenant transaction.
CREATE FUNCTION app_teams_with_stale_evidence(p_now timestamptz, p_limit int)
  RETURNS TABLE (organization_id uuid, team_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT s."organization_id", s."team_id"
    FROM "team_scores" s
   WHERE s."next_expiry_at" <= p_now
   ORDER BY s."next_expiry_at"
   LIMIT p_limit
$$;
REVOKE ALL ON FUNCTION app_teams_with_stale_evidence(timestamptz, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_teams_with_stale_evidence(timestamptz, int) TO mlops_app;
