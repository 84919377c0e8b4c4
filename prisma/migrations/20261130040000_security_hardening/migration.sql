-- Security hardening (issue 7): shared rate-limit counters, and API keys marked used only after
-- their secret was checked.

-- Rate-limit counters, shared by every API replica: one row per key (a throttle and who it
-- counts, e.g. an address or an account at an address). A global table: the keys name no tenant.
-- Counters are bumped with one atomic upsert; a row whose window ended starts again from 1.
CREATE TABLE "rate_limit_counters" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),
    CONSTRAINT "rate_limit_counters_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "rate_limit_counters_window_ends_at_idx" ON "rate_limit_counters"("window_ends_at");
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limit_counters" TO mlops_app;

-- An API key of one organization, looked up under that organization's row-level security. It no
-- longer marks the key used: a caller with a wrong secret must not touch the row. The guard calls
-- app_touch_api_key once the secret, revocation and expiry were checked.
DROP FUNCTION app_api_key_of_organization(uuid, uuid);
CREATE FUNCTION app_api_key_of_organization(p_organization_id uuid, p_key_id uuid)
  RETURNS TABLE (secret_hash text, scopes text[], expires_at timestamptz, revoked_at timestamptz,
                 last_used_at timestamptz)
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.organization_id', p_organization_id::text, true);
  RETURN QUERY
    SELECT k."secret_hash", k."scopes", k."expires_at"::timestamptz, k."revoked_at"::timestamptz,
           k."last_used_at"::timestamptz
      FROM "api_keys" k
      JOIN "organizations" o ON o."id" = k."organization_id"
     WHERE k."organization_id" = p_organization_id AND k."id" = p_key_id AND o."deleted_at" IS NULL;
END
$$;

-- Marks a key used (at most once a minute, so a busy key does not write on every request).
CREATE FUNCTION app_touch_api_key(p_organization_id uuid, p_key_id uuid) RETURNS void
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.organization_id', p_organization_id::text, true);
  UPDATE "api_keys" k SET "last_used_at" = now()
   WHERE k."organization_id" = p_organization_id AND k."id" = p_key_id AND k."revoked_at" IS NULL
     AND (k."last_used_at" IS NULL OR k."last_used_at" < now() - interval '1 minute');
END
$$;

-- One sign-in attempt against a failure counter, atomically: refused (not counted) while the key
-- is blocked; otherwise counted before the password is checked (a correct password gives the
-- count back), and from the p_free-th attempt on the key is blocked for a doubling time (1 s, 2 s,
-- 4 s ... up to p_max_block_ms). Counting first means concurrent attempts cannot all slip in
-- before the first failure is written: the row lock serialises them.
CREATE FUNCTION app_rate_limit_attempt(p_key text, p_window_ms int, p_free int, p_max_block_ms int)
  RETURNS TABLE (o_allowed boolean, o_hits int, o_ms_to_unblock int)
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  c "rate_limit_counters"%ROWTYPE;
BEGIN
  INSERT INTO "rate_limit_counters" ("key", "hits", "window_ends_at")
  VALUES (p_key, 0, now() + p_window_ms * interval '1 millisecond')
  ON CONFLICT ("key") DO NOTHING;
  SELECT * INTO c FROM "rate_limit_counters" r WHERE r."key" = p_key FOR UPDATE;
  IF c."blocked_until" > now() THEN
    RETURN QUERY SELECT false, c."hits",
      ceil(extract(epoch FROM c."blocked_until" - now()) * 1000)::int;
    RETURN;
  END IF;
  IF c."window_ends_at" <= now() THEN
    c."hits" := 0;
    c."window_ends_at" := now() + p_window_ms * interval '1 millisecond';
  END IF;
  c."hits" := c."hits" + 1;
  c."blocked_until" := CASE WHEN c."hits" >= p_free THEN
    now() + least(power(2, least(c."hits" - p_free, 30)) * 1000, p_max_block_ms)
            * interval '1 millisecond' END;
  c."window_ends_at" := greatest(c."window_ends_at", c."blocked_until");
  UPDATE "rate_limit_counters" r
     SET "hits" = c."hits", "window_ends_at" = c."window_ends_at",
         "blocked_until" = c."blocked_until"
   WHERE r."key" = p_key;
  RETURN QUERY SELECT true, c."hits", 0;
END
$$;
