-- Maturity models (built-in catalogue + organization copies), assessments, progress snapshots.

CREATE TYPE "ModelVersionStatus" AS ENUM ('draft', 'published');
CREATE TYPE "AssessmentStatus" AS ENUM ('draft', 'submitted');
CREATE TYPE "AnswerStatus" AS ENUM ('met', 'not_met', 'not_applicable', 'unknown');
CREATE TYPE "SnapshotCause" AS ENUM ('assessment', 'campaign', 'evidence');

CREATE TABLE "maturity_models" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "cloned_from_version_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "maturity_models_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "maturity_models_organization_id_idx" ON "maturity_models"("organization_id");
GRANT SELECT, INSERT, UPDATE, DELETE ON "maturity_models" TO mlops_app;

CREATE TABLE "maturity_model_versions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID,
    "model_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "ModelVersionStatus" NOT NULL,
    "definition" JSONB NOT NULL,
    "lock_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    CONSTRAINT "maturity_model_versions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "maturity_model_versions_model_id_version_key" ON "maturity_model_versions"("model_id", "version");
ALTER TABLE "maturity_model_versions" ADD CONSTRAINT "maturity_model_versions_model_id_fkey"
  FOREIGN KEY ("model_id") REFERENCES "maturity_models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "maturity_model_versions" TO mlops_app;

-- Published versions are frozen: assessments point at them and must always mean the same thing.
CREATE FUNCTION refuse_published_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'maturity model version % is published and cannot change', OLD."id"
    USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER maturity_model_versions_frozen
  BEFORE UPDATE OR DELETE ON "maturity_model_versions"
  FOR EACH ROW WHEN (OLD."status" = 'published')
  EXECUTE FUNCTION refuse_published_version_change();

CREATE TABLE "assessments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "status" "AssessmentStatus" NOT NULL,
    "target_levels" JSONB NOT NULL,
    "lock_version" INTEGER NOT NULL DEFAULT 1,
    "result" JSONB,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "submitted_at" TIMESTAMPTZ(3),
    CONSTRAINT "assessments_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "assessments_organization_id_id_key" ON "assessments"("organization_id", "id");
CREATE INDEX "assessments_organization_id_team_id_created_at_id_idx" ON "assessments"("organization_id", "team_id", "created_at", "id");
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_organization_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_model_version_id_fkey"
  FOREIGN KEY ("model_version_id") REFERENCES "maturity_model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "assessments" TO mlops_app;

CREATE TABLE "assessment_answers" (
    "organization_id" UUID NOT NULL,
    "assessment_id" UUID NOT NULL,
    "criterion_key" TEXT NOT NULL,
    "status" "AnswerStatus" NOT NULL,
    "note" TEXT,
    "evidence_url" TEXT,
    "answered_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "assessment_answers_pkey" PRIMARY KEY ("organization_id", "assessment_id", "criterion_key")
);
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_organization_id_assessment_id_fkey"
  FOREIGN KEY ("organization_id", "assessment_id") REFERENCES "assessments"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "assessment_answers" TO mlops_app;

CREATE TABLE "progress_snapshots" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "dimension_key" TEXT,
    "level" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "model_version_id" UUID NOT NULL,
    "cause" "SnapshotCause" NOT NULL,
    "cause_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "progress_snapshots_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "progress_snapshots_organization_id_team_id_recorded_at_idx" ON "progress_snapshots"("organization_id", "team_id", "recorded_at");
ALTER TABLE "progress_snapshots" ADD CONSTRAINT "progress_snapshots_organization_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- Append-only: the application may add snapshots and read them, never rewrite history.
GRANT SELECT, INSERT ON "progress_snapshots" TO mlops_app;

-- Row-level security: the built-in catalogue (organization_id NULL) is readable by every tenant
-- and writable only by the maintenance connection that loads it at start-up.
DO $$
DECLARE
  model_table text;
BEGIN
  FOREACH model_table IN ARRAY ARRAY['maturity_models', 'maturity_model_versions']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', model_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', model_table);
    EXECUTE format(
      'CREATE POLICY catalogue_or_tenant_read ON %I FOR SELECT '
      'USING (organization_id IS NULL OR organization_id = app_current_organization_id())', model_table);
    EXECUTE format(
      'CREATE POLICY tenant_or_catalogue_write ON %I FOR ALL '
      'USING (organization_id = app_current_organization_id() OR (organization_id IS NULL AND app_is_maintenance())) '
      'WITH CHECK (organization_id = app_current_organization_id() OR (organization_id IS NULL AND app_is_maintenance()))',
      model_table);
  END LOOP;
  FOREACH model_table IN ARRAY ARRAY['assessments', 'assessment_answers', 'progress_snapshots']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', model_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', model_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (organization_id = app_current_organization_id()) '
      'WITH CHECK (organization_id = app_current_organization_id())', model_table);
  END LOOP;
END
$$;
