-- Trend roll-up (issue 10, performance): the last progress snapshot of every team, series and UTC
-- month. A monthly or quarterly trend report needs, per bucket, only the last snapshot up to the
-- bucket's end, and its interior bucket boundaries are month starts: so it reads one row per
-- team, series and month here (500 teams x 9 series x 36 months = 162k) instead of every snapshot
-- (weekly: ~700k; daily: ~3M), and only the partial months at the window's edges from
-- progress_snapshots (ReportsRepository.lastPerBucket).
--
-- Kept in the same transaction as every change to progress_snapshots by the triggers below, so
-- it can never disagree with the snapshots; mlops_app may only read it (the snapshots are its
-- append-only history, and this is derived from them).
CREATE TABLE "progress_snapshot_months" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "dimension_key" TEXT,
    -- The UTC month (its first day) of recorded_at.
    "month" DATE NOT NULL,
    -- The month's last snapshot in (recorded_at, id) order, the order trend reports use.
    "snapshot_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "level" INTEGER NOT NULL,
    CONSTRAINT "progress_snapshot_months_pkey" PRIMARY KEY ("id")
);
-- NULLS NOT DISTINCT: the overall series (dimension_key NULL) has one row per month too, and
-- ON CONFLICT below relies on it. INCLUDE: trend reports read it as an index-only scan, in the
-- order their window needs (no sort).
CREATE UNIQUE INDEX "progress_snapshot_months_organization_id_team_id_dimension_key_month_key"
  ON "progress_snapshot_months"("organization_id", "team_id", "dimension_key", "month")
  INCLUDE ("recorded_at", "snapshot_id", "score", "level") NULLS NOT DISTINCT;
GRANT SELECT ON "progress_snapshot_months" TO mlops_app;

ALTER TABLE "progress_snapshot_months" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "progress_snapshot_months" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "progress_snapshot_months"
  USING (organization_id = app_current_organization_id())
  WITH CHECK (organization_id = app_current_organization_id());

-- Recomputes the named teams' months from their snapshots (the back-fill, and the rare rewrite of
-- history: the demo organization's back-dating runs UPDATE on the migration connection).
CREATE FUNCTION progress_snapshot_months_rebuild(p_organization_ids uuid[], p_team_ids uuid[])
  RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  DELETE FROM "progress_snapshot_months" m
   USING unnest(p_organization_ids, p_team_ids) AS t(organization_id, team_id)
   WHERE m."organization_id" = t.organization_id AND m."team_id" = t.team_id;
  INSERT INTO "progress_snapshot_months"
    ("organization_id", "team_id", "dimension_key", "month", "snapshot_id", "recorded_at", "score", "level")
  SELECT DISTINCT ON (p."organization_id", p."team_id", p."dimension_key", 4)
         p."organization_id", p."team_id", p."dimension_key",
         date_trunc('month', p."recorded_at" AT TIME ZONE 'UTC')::date,
         p."id", p."recorded_at", p."score", p."level"
    FROM "progress_snapshots" p
    JOIN unnest(p_organization_ids, p_team_ids) AS t(organization_id, team_id)
      ON p."organization_id" = t.organization_id AND p."team_id" = t.team_id
   ORDER BY p."organization_id", p."team_id", p."dimension_key", 4,
            p."recorded_at" DESC, p."id" DESC;
$$;
REVOKE ALL ON FUNCTION progress_snapshot_months_rebuild(uuid[], uuid[]) FROM PUBLIC;

-- Per INSERT statement (ProgressRepository.append writes one scoring event's points in one): one
-- upsert of each month's newest new snapshot, which replaces the stored one only when it is later
-- in (recorded_at, id) order (a back-dated insert does not overrule a later snapshot).
-- SECURITY DEFINER: mlops_app cannot write the table; row-level security still binds the owner,
-- so the rows must belong to the organization the transaction entered, as the snapshots must.
CREATE FUNCTION progress_snapshot_months_after_insert() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO "progress_snapshot_months" AS m
    ("organization_id", "team_id", "dimension_key", "month", "snapshot_id", "recorded_at", "score", "level")
  SELECT DISTINCT ON (n."organization_id", n."team_id", n."dimension_key", 4)
         n."organization_id", n."team_id", n."dimension_key",
         date_trunc('month', n."recorded_at" AT TIME ZONE 'UTC')::date,
         n."id", n."recorded_at", n."score", n."level"
    FROM new_rows n
   ORDER BY n."organization_id", n."team_id", n."dimension_key", 4,
            n."recorded_at" DESC, n."id" DESC
  ON CONFLICT ("organization_id", "team_id", "dimension_key", "month") DO UPDATE
     SET "snapshot_id" = EXCLUDED."snapshot_id", "recorded_at" = EXCLUDED."recorded_at",
         "score" = EXCLUDED."score", "level" = EXCLUDED."level"
   WHERE (EXCLUDED."recorded_at", EXCLUDED."snapshot_id") > (m."recorded_at", m."snapshot_id");
  RETURN NULL;
END
$$;

-- UPDATE or DELETE (never by mlops_app, which may not): the touched teams are recomputed.
CREATE FUNCTION progress_snapshot_months_after_rewrite() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM progress_snapshot_months_rebuild(array_agg(organization_id), array_agg(team_id))
       FROM (SELECT organization_id, team_id FROM old_rows
             UNION SELECT organization_id, team_id FROM new_rows) touched;
  ELSE
    PERFORM progress_snapshot_months_rebuild(array_agg(organization_id), array_agg(team_id))
       FROM (SELECT DISTINCT organization_id, team_id FROM old_rows) touched;
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION progress_snapshot_months_after_insert() FROM PUBLIC;
REVOKE ALL ON FUNCTION progress_snapshot_months_after_rewrite() FROM PUBLIC;

CREATE TRIGGER progress_snapshot_months_insert AFTER INSERT ON "progress_snapshots"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION progress_snapshot_months_after_insert();
CREATE TRIGGER progress_snapshot_months_update AFTER UPDATE ON "progress_snapshots"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION progress_snapshot_months_after_rewrite();
CREATE TRIGGER progress_snapshot_months_delete AFTER DELETE ON "progress_snapshots"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION progress_snapshot_months_after_rewrite();

-- Back-fill every organization's existing snapshots. Row-level security binds the owner running
-- this migration and no tenant is entered, so it is lifted for the back-fill only (this
-- migration's transaction holds both tables' exclusive locks meanwhile).
ALTER TABLE "progress_snapshots" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "progress_snapshot_months" NO FORCE ROW LEVEL SECURITY;
SELECT progress_snapshot_months_rebuild(array_agg(organization_id), array_agg(team_id))
  FROM (SELECT DISTINCT organization_id, team_id FROM "progress_snapshots") teams;
ALTER TABLE "progress_snapshots" FORCE ROW LEVEL SECURITY;
ALTER TABLE "progress_snapshot_months" FORCE ROW LEVEL SECURITY;
