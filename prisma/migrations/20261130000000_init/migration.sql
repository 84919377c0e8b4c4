-- Identity, organizations (tenants), teams, API keys, audit log, idempotency records.
--
-- Tenancy: every tenant-owned table has organization_id, its keys and foreign keys include it,
-- and row-level security (ENABLE + FORCE) filters it on the transaction-local setting
-- app.organization_id. The application role mlops_app is neither owner, superuser nor BYPASSRLS.

-- The application role. Deployments log in as it, or as a role that is a member of it (the pool
-- connects with role=mlops_app). Created here only when missing, which needs CREATEROLE; the
-- embedded default and docker-compose create it beforehand.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mlops_app') THEN
    CREATE ROLE mlops_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO mlops_app;
GRANT SELECT ON TABLE "_prisma_migrations" TO mlops_app;

-- The tenant and the user of the current transaction ('' or unset -> NULL: no rows match).
CREATE FUNCTION app_current_organization_id() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.organization_id', true), '')::uuid $$;

CREATE FUNCTION app_current_user_id() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

-- True for the owner/maintenance connection (migrations, catalogue loading, expiry clean-up),
-- never for the application role. Policies use it to grant maintenance exactly what it needs.
CREATE FUNCTION app_is_maintenance() RETURNS boolean
  LANGUAGE sql STABLE AS $$ SELECT current_user <> 'mlops_app' $$;

-- CreateEnum
CREATE TYPE "OrganizationRole" AS ENUM ('owner', 'admin', 'assessor', 'member', 'viewer');
CREATE TYPE "TeamRole" AS ENUM ('lead', 'member');
CREATE TYPE "ActorType" AS ENUM ('user', 'api_key', 'system');

-- Global tables ------------------------------------------------------------------------------

CREATE TABLE "service_secrets" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "service_secrets_pkey" PRIMARY KEY ("name")
);
-- No grant to mlops_app: only the owner connection reads the signing key at start-up.

CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "users_email_normalised" CHECK ("email" = lower(btrim("email")))
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
GRANT SELECT, INSERT, UPDATE ON "users" TO mlops_app;

CREATE TABLE "refresh_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "family_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "refresh_tokens"("token_hash");
CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens"("family_id");
CREATE INDEX "refresh_tokens_expires_at_idx" ON "refresh_tokens"("expires_at");
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "refresh_tokens" TO mlops_app;

-- Tenants --------------------------------------------------------------------------------------

CREATE TABLE "organizations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations"("slug");
GRANT SELECT, INSERT, UPDATE ON "organizations" TO mlops_app;

CREATE TABLE "memberships" (
    "organization_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "OrganizationRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "memberships_pkey" PRIMARY KEY ("organization_id", "user_id")
);
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "memberships" TO mlops_app;

CREATE TABLE "invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "OrganizationRole" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" UUID,
    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");
CREATE UNIQUE INDEX "invitations_organization_id_id_key" ON "invitations"("organization_id", "id");
CREATE INDEX "invitations_expires_at_idx" ON "invitations"("expires_at");
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "invitations" TO mlops_app;

CREATE TABLE "teams" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "teams_organization_id_id_key" ON "teams"("organization_id", "id");
CREATE UNIQUE INDEX "teams_organization_id_slug_key" ON "teams"("organization_id", "slug");
CREATE INDEX "teams_organization_id_created_at_id_idx" ON "teams"("organization_id", "created_at", "id");
ALTER TABLE "teams" ADD CONSTRAINT "teams_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "teams" TO mlops_app;

CREATE TABLE "team_members" (
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "TeamRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "team_members_pkey" PRIMARY KEY ("organization_id", "team_id", "user_id")
);
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_organization_id_team_id_fkey"
  FOREIGN KEY ("organization_id", "team_id") REFERENCES "teams"("organization_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_organization_id_user_id_fkey"
  FOREIGN KEY ("organization_id", "user_id") REFERENCES "memberships"("organization_id", "user_id") ON DELETE CASCADE ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "team_members" TO mlops_app;

CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_keys_organization_id_id_key" ON "api_keys"("organization_id", "id");
CREATE INDEX "api_keys_organization_id_created_at_id_idx" ON "api_keys"("organization_id", "created_at", "id");
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, UPDATE, DELETE ON "api_keys" TO mlops_app;

CREATE TABLE "audit_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "changes" JSONB,
    "request_id" TEXT,
    "ip" TEXT,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_events_organization_id_created_at_id_idx" ON "audit_events"("organization_id", "created_at", "id");
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- Append-only for the application: insert and read, never update or delete.
GRANT SELECT, INSERT ON "audit_events" TO mlops_app;

CREATE TABLE "idempotency_records" (
    "organization_id" UUID NOT NULL,
    "operation" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_fingerprint" TEXT NOT NULL,
    "response_status" INTEGER NOT NULL,
    "response_body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("organization_id", "operation", "key")
);
CREATE INDEX "idempotency_records_created_at_idx" ON "idempotency_records"("created_at");
GRANT SELECT, INSERT, DELETE ON "idempotency_records" TO mlops_app;

-- Row-level security -------------------------------------------------------------------------

ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "organizations" FORCE ROW LEVEL SECURITY;
-- A user sees the organizations they belong to (listing "mine") and the one in context.
CREATE POLICY organizations_read ON "organizations" FOR SELECT USING (
  "id" = app_current_organization_id()
  OR "id" IN (SELECT m."organization_id" FROM "memberships" m WHERE m."user_id" = app_current_user_id())
);
CREATE POLICY organizations_create ON "organizations" FOR INSERT
  WITH CHECK ("id" = app_current_organization_id());
CREATE POLICY organizations_change ON "organizations" FOR UPDATE
  USING ("id" = app_current_organization_id()) WITH CHECK ("id" = app_current_organization_id());

ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;
-- A user may read their own memberships in every organization (GET /v1/me, the guard's check).
CREATE POLICY memberships_read ON "memberships" FOR SELECT USING (
  "organization_id" = app_current_organization_id() OR "user_id" = app_current_user_id()
);
CREATE POLICY memberships_write ON "memberships" FOR ALL
  USING ("organization_id" = app_current_organization_id())
  WITH CHECK ("organization_id" = app_current_organization_id());

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['invitations', 'teams', 'team_members', 'api_keys',
                                      'audit_events', 'idempotency_records']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (organization_id = app_current_organization_id()) '
      'WITH CHECK (organization_id = app_current_organization_id())', tenant_table);
  END LOOP;
END
$$;

-- The clean-up job (maintenance connection) removes invitations that can no longer be used.
CREATE POLICY invitations_expired_cleanup ON "invitations" FOR DELETE
  USING (app_is_maintenance() AND ("expires_at" < now() OR "accepted_at" IS NOT NULL));
CREATE POLICY invitations_expired_cleanup_read ON "invitations" FOR SELECT
  USING (app_is_maintenance() AND ("expires_at" < now() OR "accepted_at" IS NOT NULL));

-- The caller's role in an organization, in one round trip, under row-level security: the user id
-- is set for this statement's transaction only, so the memberships policy shows the user's own row.
CREATE FUNCTION app_membership_role(p_organization_id uuid, p_user_id uuid) RETURNS text
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.user_id', p_user_id::text, true);
  RETURN (
    SELECT m."role"::text
      FROM "memberships" m
      JOIN "organizations" o ON o."id" = m."organization_id"
     WHERE m."organization_id" = p_organization_id
       AND m."user_id" = p_user_id
       AND o."deleted_at" IS NULL
  );
END
$$;

-- An API key of one organization, looked up under that organization's row-level security. Marks
-- it used (at most once a minute, so a busy key does not write on every request).
CREATE FUNCTION app_api_key_of_organization(p_organization_id uuid, p_key_id uuid)
  RETURNS TABLE (secret_hash text, scopes text[], expires_at timestamptz, revoked_at timestamptz)
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.organization_id', p_organization_id::text, true);
  UPDATE "api_keys" k SET "last_used_at" = now()
   WHERE k."organization_id" = p_organization_id AND k."id" = p_key_id AND k."revoked_at" IS NULL
     AND (k."last_used_at" IS NULL OR k."last_used_at" < now() - interval '1 minute');
  RETURN QUERY
    SELECT k."secret_hash", k."scopes", k."expires_at"::timestamptz, k."revoked_at"::timestamptz
      FROM "api_keys" k
      JOIN "organizations" o ON o."id" = k."organization_id"
     WHERE k."organization_id" = p_organization_id AND k."id" = p_key_id AND o."deleted_at" IS NULL;
END
$$;
