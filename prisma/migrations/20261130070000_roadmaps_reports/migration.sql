-- Roadmaps (issue 10): a team's plan to its target levels, its items and their history; and the
-- share links of trend reports.

CREATE TYPE "RoadmapStatus" AS ENUM ('active', 'archived');
CREATE TYPE "RoadmapPhase" AS ENUM ('short', 'medium', 'long');
CREATE TYPE "RoadmapItemStatus" AS ENUM ('todo', 'in_progress', 'done', 'dropped');
CREATE TYPE "RoadmapChangeCause" AS ENUM ('created', 'user', 'assessment', 'evidence', 'expiry', 'campaign');

CREATE TABLE "roadmaps" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "status" "RoadmapStatus" NOT NULL,
    "model_version_id" UUID NOT NULL,
    "from_assessment_id" UUID,
    "target_levels" JSONB NOT NULL,
    "starts_on" DATE NOT NULL,
    "horizon_months" INTEGER NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "archived_at" TIMESTAMPTZ(3),
    CONSTRAINT "roadmaps_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "roadmaps_organization_id_id_key" ON "roadmaps"("organization_id", "id");
CREATE INDEX "roadmaps_organization_id_team_id_created_at_id_idx" ON "roadmaps"("organization_id", "team_id", "created_at", "id");
-- One active roadmap per team: creating a new one archives the old one in the same transaction,
-- and this index turns a concurrent second creation into a unique violation (409), not two plans.
CREATE UNIQUE INDEX "roadmaps_one_active_per_team" ON "roadmaps"("organization_id", "team_id") WHERE "status" = 'active';
ALTER TABLE "roadmaps" ADD CONSTRAINT "roadmaps_organization_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE ON "roadmaps" TO mlops_app;

CREATE TABLE "roadmap_items" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "roadmap_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "dimension_key" TEXT NOT NULL,
    "criterion_key" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "title" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "ci_signal" TEXT,
    "phase" "RoadmapPhase" NOT NULL,
    "status" "RoadmapItemStatus" NOT NULL,
    -- True while the item is done because a scored result met its criterion (it reopens when the
    -- criterion stops being met); a person marking it done is not overruled that way.
    "auto_closed" BOOLEAN NOT NULL DEFAULT false,
    "owner_user_id" UUID,
    "due_on" DATE,
    "note" TEXT,
    "lock_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "roadmap_items_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "roadmap_items_organization_id_id_key" ON "roadmap_items"("organization_id", "id");
CREATE UNIQUE INDEX "roadmap_items_organization_id_roadmap_id_criterion_key_key" ON "roadmap_items"("organization_id", "roadmap_id", "criterion_key");
ALTER TABLE "roadmap_items" ADD CONSTRAINT "roadmap_items_organization_id_roadmap_id_fkey"
  FOREIGN KEY ("organization_id", "roadmap_id") REFERENCES "roadmaps"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE ON "roadmap_items" TO mlops_app;

-- Append-only history of every item change and its cause.
CREATE TABLE "roadmap_item_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "cause" "RoadmapChangeCause" NOT NULL,
    "cause_id" TEXT,
    "from_status" "RoadmapItemStatus",
    "to_status" "RoadmapItemStatus" NOT NULL,
    "changes" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "roadmap_item_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "roadmap_item_events_organization_id_item_id_created_at_idx" ON "roadmap_item_events"("organization_id", "item_id", "created_at");
ALTER TABLE "roadmap_item_events" ADD CONSTRAINT "roadmap_item_events_organization_id_item_id_fkey"
  FOREIGN KEY ("organization_id", "item_id") REFERENCES "roadmap_items"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
GRANT SELECT, INSERT ON "roadmap_item_events" TO mlops_app;

-- Share links: the token is shown once; only its SHA-256 is stored.
CREATE TABLE "report_links" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "report" TEXT NOT NULL,
    "parameters" JSONB NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "report_links_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "report_links_token_hash_key" ON "report_links"("token_hash");
CREATE UNIQUE INDEX "report_links_organization_id_id_key" ON "report_links"("organization_id", "id");
CREATE INDEX "report_links_organization_id_created_at_id_idx" ON "report_links"("organization_id", "created_at", "id");
GRANT SELECT, INSERT, UPDATE ON "report_links" TO mlops_app;

-- Trend reports read the last snapshot per team and series up to each bucket's end: in this
-- index's order, and with score, level and id included, as an index-only scan (no heap fetch per
-- snapshot once autovacuum has marked the append-only table's pages all-visible).
CREATE INDEX "progress_snapshots_trends_idx"
  ON "progress_snapshots"("organization_id", "team_id", "dimension_key", "recorded_at")
  INCLUDE ("score", "level", "id");

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['roadmaps', 'roadmap_items', 'roadmap_item_events', 'report_links']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (organization_id = app_current_organization_id()) '
      'WITH CHECK (organization_id = app_current_organization_id())', tenant_table);
  END LOOP;
END
$$;
