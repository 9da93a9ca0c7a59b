-- Key verification for gateways in one round trip. The caller is not a tenant, so the
-- lookup runs with the platform scope set for the function's duration only (the
-- application role cannot widen its own scope any other way), and returns the active
-- subscriptions with their plan limits alongside the candidate credentials.

CREATE FUNCTION stoa_verify_candidates(p_prefix text)
RETURNS TABLE (
    id uuid, secret_hash bytea, kind text, status text, expires_at timestamptz,
    grace_until timestamptz, last_used_at timestamptz, application_id uuid,
    application_name text, client_id text, tenant_id text, subscriptions jsonb
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET stoa.platform = 'on'
AS $$
    SELECT c.id, c.secret_hash, c.kind, c.status, c.expires_at, c.grace_until, c.last_used_at,
           a.id, a.name, a.client_id, a.tenant_id,
           coalesce((
               SELECT jsonb_agg(jsonb_build_object(
                          'id', s.id, 'api', i.tenant_id || '/' || i.slug, 'kind', i.kind,
                          'tools', s.requested_tools, 'expires_at', s.expires_at,
                          'plan', CASE WHEN p.id IS NULL THEN NULL ELSE jsonb_build_object(
                              'slug', p.slug, 'rate_per_second', p.rate_per_second,
                              'rate_per_minute', p.rate_per_minute, 'daily_quota', p.daily_quota,
                              'monthly_quota', p.monthly_quota) END)
                      ORDER BY i.slug)
               FROM subscriptions s
               JOIN catalog_items i ON i.id = s.item_id
               LEFT JOIN plans p ON p.id = s.plan_id
               WHERE s.application_id = a.id AND s.state = 'active'
                 AND (s.expires_at IS NULL OR s.expires_at > now())
           ), '[]'::jsonb)
    FROM credentials c JOIN applications a ON a.id = c.application_id
    WHERE c.prefix = p_prefix
$$;

-- Notes that a credential was used (the application throttles it to once a minute).
CREATE FUNCTION stoa_touch_credential(p_id uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = public, pg_temp
SET stoa.platform = 'on'
AS $$ UPDATE credentials SET last_used_at = now() WHERE id = p_id $$;

REVOKE ALL ON FUNCTION stoa_verify_candidates(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION stoa_touch_credential(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stoa_verify_candidates(text) TO stoa_app;
GRANT EXECUTE ON FUNCTION stoa_touch_credential(uuid) TO stoa_app;
