-- The application role that serves requests. Deployments either log in as it or as a role that is
-- a member of it (the pool runs SET ROLE mlops_app). Created here only when missing, which needs
-- CREATEROLE; the embedded default and docker-compose create it beforehand.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mlops_app') THEN
    CREATE ROLE mlops_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO mlops_app;
GRANT SELECT ON TABLE "_prisma_migrations" TO mlops_app;

-- Organizations are the tenants.
CREATE TABLE "organizations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations"("slug");
GRANT SELECT, INSERT, UPDATE, DELETE ON "organizations" TO mlops_app;
