-- Team assessment campaigns (issue 11): many respondents per team answer in a time window; at the
-- close their answers become one assessment per team (source 'campaign').

CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'scheduled', 'open', 'closed', 'cancelled');
CREATE TYPE "AggregationRule" AS ENUM ('majority', 'threshold', 'unanimous');
CREATE TYPE "AssessmentSource" AS ENUM ('assessor', 'campaign');

CREATE TABLE "campaigns" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "model_version_id" UUID NOT NULL,
    "status" "CampaignStatus" NOT NULL,
    "aggregation_rule" "AggregationRule" NOT NULL,
    "aggregation_threshold" DOUBLE PRECISION,
    "anonymous" BOOLEAN NOT NULL,
    "min_respondents" INTEGER NOT NULL,
    "reminder_every_hours" INTEGER,
    "opens_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "launched_at" TIMESTAMPTZ(3),
    "opened_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "last_reminder_at" TIMESTAMPTZ(3),
    "lock_version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "campaigns_window" CHECK ("closes_at" > "opens_at"),
    CONSTRAINT "campaigns_threshold" CHECK (
      ("aggregation_rule" = 'threshold') = ("aggregation_threshold" IS NOT NULL)
      AND ("aggregation_threshold" IS NULL OR ("aggregation_threshold" > 0 AND "aggregation_threshold" <= 1)))
);
CREATE UNIQUE INDEX "campaigns_organization_id_id_key" ON "campaigns"("organization_id", "id");
CREATE INDEX "campaigns_organization_id_created_at_id_idx" ON "campaigns"("organization_id", "created_at", "id");
-- The scheduler's scan: campaigns waiting to open or to close.
CREATE INDEX "campaigns_status_opens_at_idx" ON "campaigns"("status", "opens_at");
CREATE INDEX "campaigns_status_closes_at_idx" ON "campaigns"("status", "closes_at");
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_model_version_id_fkey"
  FOREIGN KEY ("model_version_id") REFERENCES "maturity_model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "campaigns" TO mlops_app;

-- The teams a campaign covers and, once closed, what came of each (the aggregated assessment and
-- the agreement figures).
CREATE TABLE "campaign_teams" (
    "organization_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "assessment_id" UUID,
    "outcome" JSONB,
    CONSTRAINT "campaign_teams_pkey" PRIMARY KEY ("organization_id", "campaign_id", "team_id")
);
CREATE INDEX "campaign_teams_organization_id_team_id_idx" ON "campaign_teams"("organization_id", "team_id");
ALTER TABLE "campaign_teams" ADD CONSTRAINT "campaign_teams_organization_id_campaign_id_fkey"
  FOREIGN KEY ("organization_id", "campaign_id") REFERENCES "campaigns"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "campaign_teams" ADD CONSTRAINT "campaign_teams_organization_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "campaign_teams" ADD CONSTRAINT "campaign_teams_organization_id_assessment_id_fkey"
  FOREIGN KEY ("organization_id", "assessment_id") REFERENCES "assessments"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "campaign_teams" TO mlops_app;

-- A participant of one team in one campaign: a member (user_id) or someone named by email, who
-- answers through a personal link (only the SHA-256 of its token is stored). The row also holds
-- the state of their one response; its answers are campaign_answers.
CREATE TABLE "campaign_participants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "user_id" UUID,
    "email" TEXT,
    "token_hash" TEXT,
    "token_expires_at" TIMESTAMPTZ(3),
    "notified_at" TIMESTAMPTZ(3),
    "notification_error" TEXT,
    "last_reminded_at" TIMESTAMPTZ(3),
    "response_lock_version" INTEGER NOT NULL DEFAULT 1,
    "submitted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "campaign_participants_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "campaign_participants_someone" CHECK ("user_id" IS NOT NULL OR "email" IS NOT NULL)
);
CREATE UNIQUE INDEX "campaign_participants_organization_id_id_key" ON "campaign_participants"("organization_id", "id");
CREATE UNIQUE INDEX "campaign_participants_token_hash_key" ON "campaign_participants"("token_hash");
CREATE UNIQUE INDEX "campaign_participants_organization_id_campaign_id_user_id_key" ON "campaign_participants"("organization_id", "campaign_id", "user_id");
CREATE UNIQUE INDEX "campaign_participants_organization_id_campaign_id_email_key" ON "campaign_participants"("organization_id", "campaign_id", "email");
ALTER TABLE "campaign_participants" ADD CONSTRAINT "campaign_participants_organization_id_campaign_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "campaign_id", "team_id") REFERENCES "campaign_teams"("organization_id", "campaign_id", "team_id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "campaign_participants" ADD CONSTRAINT "campaign_participants_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "campaign_participants" TO mlops_app;

CREATE TABLE "campaign_answers" (
    "organization_id" UUID NOT NULL,
    "participant_id" UUID NOT NULL,
    "criterion_key" TEXT NOT NULL,
    "status" "AnswerStatus" NOT NULL,
    "note" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "campaign_answers_pkey" PRIMARY KEY ("organization_id", "participant_id", "criterion_key")
);
ALTER TABLE "campaign_answers" ADD CONSTRAINT "campaign_answers_organization_id_participant_id_fkey"
  FOREIGN KEY ("organization_id", "participant_id") REFERENCES "campaign_participants"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "campaign_answers" TO mlops_app;

-- Assessments say where they came from; existing rows are an assessor's.
ALTER TABLE "assessments" ADD COLUMN "source" "AssessmentSource" NOT NULL DEFAULT 'assessor';
ALTER TABLE "assessments" ADD COLUMN "campaign_id" UUID;
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_organization_id_campaign_id_fkey"
  FOREIGN KEY ("organization_id", "campaign_id") REFERENCES "campaigns"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['campaigns', 'campaign_teams', 'campaign_participants',
                                      'campaign_answers']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (organization_id = app_current_organization_id()) '
      'WITH CHECK (organization_id = app_current_organization_id())', tenant_table);
  END LOOP;
END
$$;

-- The scheduler (maintenance connection, never mlops_app) finds the campaigns due to open, close
-- or remind across tenants; it sees exactly those and acts on each inside that tenant.
CREATE POLICY campaigns_scheduler_read ON "campaigns" FOR SELECT
  USING (app_is_maintenance() AND "status" IN ('scheduled', 'open'));

-- Outbound notifications: signed webhooks (Standard Webhooks) to endpoints an organization
-- registers. The signing secret is stored sealed (AES-256-GCM, libs/database secret-box.ts).
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'succeeded', 'failed');

CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "events" TEXT[],
    "secret_sealed" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "webhook_endpoints_organization_id_id_key" ON "webhook_endpoints"("organization_id", "id");
CREATE INDEX "webhook_endpoints_organization_id_created_at_id_idx" ON "webhook_endpoints"("organization_id", "created_at", "id");
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "webhook_endpoints" TO mlops_app;

-- One message to one endpoint and its attempts; `event_id` is the webhook-id every attempt (and a
-- redelivery) carries, so receivers can deduplicate.
CREATE TABLE "webhook_endpoint_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "response_status" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "webhook_endpoint_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "webhook_endpoint_deliveries_organization_id_id_key" ON "webhook_endpoint_deliveries"("organization_id", "id");
CREATE INDEX "webhook_endpoint_deliveries_organization_id_endpoint_id_created_at_id_idx" ON "webhook_endpoint_deliveries"("organization_id", "endpoint_id", "created_at", "id");
ALTER TABLE "webhook_endpoint_deliveries" ADD CONSTRAINT "webhook_endpoint_deliveries_organization_id_endpoint_id_fkey"
  FOREIGN KEY ("organization_id", "endpoint_id") REFERENCES "webhook_endpoints"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "webhook_endpoint_deliveries" TO mlops_app;

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['webhook_endpoints', 'webhook_endpoint_deliveries']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (organization_id = app_current_organization_id()) '
      'WITH CHECK (organization_id = app_current_organization_id())', tenant_table);
  END LOOP;
END
$$;
