-- Trend roll-up by year (issue 10, performance): one row per team, series and UTC year holding,
-- in twelve slots, each month's last progress snapshot. It replaces progress_snapshot_months (one
-- row per month): an all-teams monthly report over three years read 157k month rows there, and
-- PostgreSQL's scan and grouping of them alone took ~50-75 ms of the 150 ms budget; here it reads
-- 18k rows. Slot i (1..12) is month i; a month without a snapshot has NULL in the arrays.
--
-- The scores and levels, which every report reads, are packed (big-endian float8 and int2 per
-- slot; NaN and -1 for an empty slot) rather than arrays: PostgreSQL's text output of a float8[]
-- or int[] costs ~0.2 us an element, ~80 ms for that report's 430k elements, while a bytea goes
-- out as one hex string (~15 ms for all of it). ReportsRepository unpacks them.
--
-- Kept in the same transaction as every change to progress_snapshots by the triggers below, so
-- it can never disagree with the snapshots; mlops_app may only read it.
CREATE TABLE "progress_snapshot_years" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "dimension_key" TEXT,
    "year" INTEGER NOT NULL,
    -- Per month, its last snapshot in (recorded_at, id) order, the order trend reports use.
    "snapshot_ids" UUID[] NOT NULL,
    "recorded_at" TIMESTAMPTZ(3)[] NOT NULL,
    "scores" BYTEA NOT NULL,
    "levels" BYTEA NOT NULL,
    CONSTRAINT "progress_snapshot_years_pkey" PRIMARY KEY ("id")
)
-- Every snapshot updates its year's row. Half of each page is kept free so that the new version
-- fits beside the old one (a HOT update: no index entry, and the old version is pruned in place):
-- measured, 180k updates of 18k rows left the table at its size, where without free space a
-- year of weekly updates grew it ~15x until VACUUM.
WITH (fillfactor = 50);
-- NULLS NOT DISTINCT: the overall series (dimension_key NULL) has one row per year too, and
-- ON CONFLICT below relies on it. It is also the read path: a report reads its teams' rows of the
-- window's years through it.
CREATE UNIQUE INDEX "progress_snapshot_years_organization_id_team_id_dimension_key_year_key"
  ON "progress_snapshot_years"("organization_id", "team_id", "dimension_key", "year") NULLS NOT DISTINCT;
GRANT SELECT ON "progress_snapshot_years" TO mlops_app;

ALTER TABLE "progress_snapshot_years" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "progress_snapshot_years" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "progress_snapshot_years"
  USING (organization_id = app_current_organization_id())
  WITH CHECK (organization_id = app_current_organization_id());

-- Recomputes the named teams' years from their snapshots (the back-fill, and the rare rewrite of
-- history: the demo organization's back-dating runs UPDATE on the migration connection).
-- coalesce(dimension_key, ''): dimension keys are never empty, and the join needs plain equality
-- to be a hash join over a whole organization's months.
CREATE FUNCTION progress_snapshot_years_rebuild(p_organization_ids uuid[], p_team_ids uuid[])
  RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  DELETE FROM "progress_snapshot_years" y
   USING unnest(p_organization_ids, p_team_ids) AS t(organization_id, team_id)
   WHERE y."organization_id" = t.organization_id AND y."team_id" = t.team_id;
  WITH last_of_month AS (
    SELECT DISTINCT ON (p."organization_id", p."team_id", p."dimension_key", 4, 5)
           p."organization_id", p."team_id", p."dimension_key",
           extract(year FROM p."recorded_at" AT TIME ZONE 'UTC')::int AS year,
           extract(month FROM p."recorded_at" AT TIME ZONE 'UTC')::int AS month,
           p."id", p."recorded_at", p."score", p."level"
      FROM "progress_snapshots" p
      JOIN unnest(p_organization_ids, p_team_ids) AS t(organization_id, team_id)
        ON p."organization_id" = t.organization_id AND p."team_id" = t.team_id
     ORDER BY p."organization_id", p."team_id", p."dimension_key", 4, 5,
              p."recorded_at" DESC, p."id" DESC
  ), years AS (
    SELECT DISTINCT "organization_id", "team_id", "dimension_key", year FROM last_of_month
  )
  INSERT INTO "progress_snapshot_years"
    ("organization_id", "team_id", "dimension_key", "year", "snapshot_ids", "recorded_at", "scores", "levels")
  SELECT y."organization_id", y."team_id", y."dimension_key", y.year,
         array_agg(m."id" ORDER BY slot), array_agg(m."recorded_at" ORDER BY slot),
         string_agg(coalesce(float8send(m."score"), float8send('NaN')), ''::bytea ORDER BY slot),
         string_agg(coalesce(int2send(m."level"::smallint), int2send(-1::smallint)), ''::bytea ORDER BY slot)
    FROM years y
   CROSS JOIN generate_series(1, 12) AS slot
    LEFT JOIN last_of_month m
      ON m."organization_id" = y."organization_id" AND m."team_id" = y."team_id"
     AND coalesce(m."dimension_key", '') = coalesce(y."dimension_key", '')
     AND m.year = y.year AND m.month = slot
   GROUP BY y."organization_id", y."team_id", y."dimension_key", y.year;
$$;
REVOKE ALL ON FUNCTION progress_snapshot_years_rebuild(uuid[], uuid[]) FROM PUBLIC;

-- Per INSERT statement (ProgressRepository.append writes one scoring event's points in one): one
-- upsert of each month's newest new snapshot into its year's slot, which replaces the stored one
-- only when it is later in (recorded_at, id) order (a back-dated insert does not overrule a later
-- snapshot). One statement per month: a set-based upsert could not set two slots of one row.
-- SECURITY DEFINER: mlops_app cannot write the table; row-level security still binds the owner,
-- so the rows must belong to the organization the transaction entered, as the snapshots must.
CREATE FUNCTION progress_snapshot_years_after_insert() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  newest record;
  ids uuid[];
  times timestamptz[];
BEGIN
  FOR newest IN
    SELECT DISTINCT ON (n."organization_id", n."team_id", n."dimension_key", 4, 5)
           n."organization_id", n."team_id", n."dimension_key",
           extract(year FROM n."recorded_at" AT TIME ZONE 'UTC')::int AS year,
           extract(month FROM n."recorded_at" AT TIME ZONE 'UTC')::int AS month,
           n."id", n."recorded_at", n."score", n."level"
      FROM new_rows n
     ORDER BY n."organization_id", n."team_id", n."dimension_key", 4, 5,
              n."recorded_at" DESC, n."id" DESC
  LOOP
    -- A new year's row: this month's slot filled, the other eleven NULL.
    ids := array_fill(NULL::uuid, ARRAY[12]);
    times := array_fill(NULL::timestamptz, ARRAY[12]);
    ids[newest.month] := newest."id";
    times[newest.month] := newest."recorded_at";
    INSERT INTO "progress_snapshot_years" AS y
      ("organization_id", "team_id", "dimension_key", "year", "snapshot_ids", "recorded_at", "scores", "levels")
    VALUES (newest."organization_id", newest."team_id", newest."dimension_key", newest.year, ids, times,
            overlay(decode(repeat('7ff8000000000000', 12), 'hex')
                    PLACING float8send(newest."score") FROM (newest.month - 1) * 8 + 1 FOR 8),
            overlay(decode(repeat('ffff', 12), 'hex')
                    PLACING int2send(newest."level"::smallint) FROM (newest.month - 1) * 2 + 1 FOR 2))
    ON CONFLICT ("organization_id", "team_id", "dimension_key", "year") DO UPDATE
       SET "snapshot_ids"[newest.month] = newest."id",
           "recorded_at"[newest.month] = newest."recorded_at",
           "scores" = overlay(y."scores" PLACING float8send(newest."score")
                              FROM (newest.month - 1) * 8 + 1 FOR 8),
           "levels" = overlay(y."levels" PLACING int2send(newest."level"::smallint)
                              FROM (newest.month - 1) * 2 + 1 FOR 2)
     WHERE y."recorded_at"[newest.month] IS NULL
        OR (newest."recorded_at", newest."id") > (y."recorded_at"[newest.month], y."snapshot_ids"[newest.month]);
  END LOOP;
  RETURN NULL;
END
$$;

-- UPDATE or DELETE (never by mlops_app, which may not): the touched teams are recomputed.
CREATE FUNCTION progress_snapshot_years_after_rewrite() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM progress_snapshot_years_rebuild(array_agg(organization_id), array_agg(team_id))
       FROM (SELECT organization_id, team_id FROM old_rows
             UNION SELECT organization_id, team_id FROM new_rows) touched;
  ELSE
    PERFORM progress_snapshot_years_rebuild(array_agg(organization_id), array_agg(team_id))
       FROM (SELECT DISTINCT organization_id, team_id FROM old_rows) touched;
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION progress_snapshot_years_after_insert() FROM PUBLIC;
REVOKE ALL ON FUNCTION progress_snapshot_years_after_rewrite() FROM PUBLIC;

DROP TRIGGER progress_snapshot_months_insert ON "progress_snapshots";
DROP TRIGGER progress_snapshot_months_update ON "progress_snapshots";
DROP TRIGGER progress_snapshot_months_delete ON "progress_snapshots";
DROP FUNCTION progress_snapshot_months_after_insert();
DROP FUNCTION progress_snapshot_months_after_rewrite();
DROP FUNCTION progress_snapshot_months_rebuild(uuid[], uuid[]);
DROP TABLE "progress_snapshot_months";

CREATE TRIGGER progress_snapshot_years_insert AFTER INSERT ON "progress_snapshots"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION progress_snapshot_years_after_insert();
CREATE TRIGGER progress_snapshot_years_update AFTER UPDATE ON "progress_snapshots"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION progress_snapshot_years_after_rewrite();
CREATE TRIGGER progress_snapshot_years_delete AFTER DELETE ON "progress_snapshots"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION progress_snapshot_years_after_rewrite();

-- Back-fill every organization's existing snapshots. Row-level security binds the owner running
-- this migration and no tenant is entered, so it is lifted for the back-fill only (this
-- migration's transaction holds both tables' exclusive locks meanwhile).
ALTER TABLE "progress_snapshots" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "progress_snapshot_years" NO FORCE ROW LEVEL SECURITY;
SELECT progress_snapshot_years_rebuild(array_agg(organization_id), array_agg(team_id))
  FROM (SELECT DISTINCT organization_id, team_id FROM "progress_snapshots") teams;
ALTER TABLE "progress_snapshots" FORCE ROW LEVEL SECURITY;
ALTER TABLE "progress_snapshot_years" FORCE ROW LEVEL SECURITY;
