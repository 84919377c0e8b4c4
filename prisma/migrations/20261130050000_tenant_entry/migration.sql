-- Entering an organization as a user, in one statement: the first statement of every tenant
-- transaction whose scope carries a membership to prove (libs/database/src/tenant-transactions.ts).
-- It sets the transaction-local tenant setting, proves that the user is a member of the
-- (not deleted) organization with one of the roles the route admits, in the same transaction as
-- the work that follows, and sets app.user_id to what the use case asked for ('' by default).
-- Not a member: SQLSTATE MM404 (the caller answers 404). A role the route does not admit:
-- SQLSTATE MM403, the role in DETAIL (the caller answers 403). An error aborts the transaction, so
-- no statement after it runs. Runs as the caller (no SECURITY DEFINER): row-level security
-- applies, and the organization setting is what lets it see the membership row.
CREATE FUNCTION app_enter_organization(
  p_organization_id uuid,
  p_user_id uuid,
  p_allowed_roles text,
  p_setting_user_id text
) RETURNS text
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_role text;
BEGIN
  PERFORM set_config('app.organization_id', p_organization_id::text, true);
  PERFORM set_config('app.user_id', coalesce(p_setting_user_id, ''), true);
  SELECT m."role"::text INTO v_role
    FROM "memberships" m
    JOIN "organizations" o ON o."id" = m."organization_id"
   WHERE m."organization_id" = p_organization_id
     AND m."user_id" = p_user_id
     AND o."deleted_at" IS NULL;
  IF v_role IS NULL THEN
    RAISE EXCEPTION 'not a member of this organization' USING ERRCODE = 'MM404';
  END IF;
  IF NOT v_role = ANY (string_to_array(p_allowed_roles, ',')) THEN
    RAISE EXCEPTION 'this role may not do this' USING ERRCODE = 'MM403', DETAIL = v_role;
  END IF;
  RETURN v_role;
END
$$;
