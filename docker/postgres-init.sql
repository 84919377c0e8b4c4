-- Runs once, when the docker-compose PostgreSQL initialises its volume (as the superuser).
-- Two roles, as the service expects (README, "Running against an external PostgreSQL"):
--   mlops_owner owns the database and runs the migrations (DATABASE_MIGRATION_URL);
--   mlops_app serves requests (DATABASE_URL) and is neither owner, superuser nor BYPASSRLS, so
--   row-level security applies to everything it does.
-- The passwords are for local development only; docker-compose.yml uses the same ones.
CREATE ROLE mlops_owner WITH LOGIN NOSUPERUSER NOCREATEROLE PASSWORD 'mlops-owner-dev-password';
CREATE ROLE mlops_app WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'mlops-app-dev-password';
CREATE DATABASE mlops OWNER mlops_owner;
-- Since PostgreSQL 15 the public schema belongs to the database owner, so mlops_owner may create
-- tables there; the migrations grant mlops_app what it needs.
