// A real OpenID provider for the browser tests: npm `oidc-provider` (v8, certified),
// configured like STOA's Keycloak realm — PKCE (S256) required, Keycloak-shaped claims
// (`preferred_username`, `tenant_id`, `realm_access.roles`) in ID and access tokens,
// JWT access tokens for the portal's audience, RP-initiated logout.
//
//   node end2end/oidc/provider.mjs          (OIDC_PORT, default 3180; APP_URL of the portal)
//
// Sign-in uses the provider's own interaction pages: any password, the username picks one
// of the personas below.
import Provider from 'oidc-provider';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const port = Number(process.env.OIDC_PORT ?? 3180);
const issuer = `http://127.0.0.1:${port}`;
const app = (process.env.APP_URL ?? 'http://127.0.0.1:3100').replace(/\/$/, '');

// One persona per role, as Keycloak would send them (aliases and all), plus one whose
// tenant the portal does not know.
export const personas = {
  olivia: { name: 'Olivia Consumer', tenant_id: 'demo', roles: ['stoa.consumer', 'offline_access'] },
  dmitri: { name: 'Dmitri Developer', tenant_id: ['demo', 'other'], roles: ['stoa.developer'] },
  tomas: { name: 'Tomas Owner', tenant_id: 'demo', roles: ['stoa.product_owner'] },
  camille: { name: 'Camille Admin', tenant_id: 'demo', roles: ['stoa.admin'] },
  sofia: { name: 'Sofia Auditor', tenant_id: 'demo', roles: ['stoa.security'] },
  gina: { name: 'Gina Stranger', tenant_id: 'globex', roles: ['stoa.consumer'] },
  // Invited by address, joins through the provider (end2end/tests/members.spec.ts).
  ines: { name: 'Ines Invited', tenant_id: 'demo', roles: ['stoa.developer'] },
};

function claimsOf(id) {
  const p = personas[id];
  if (!p) return undefined;
  return {
    sub: id,
    preferred_username: id,
    name: p.name,
    email: `${id}@demo.example`,
    email_verified: true,
    tenant_id: p.tenant_id,
    realm_access: { roles: p.roles },
  };
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'stoa-test', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'stoa-portal',
      client_secret: 'stoa-portal-secret',
      redirect_uris: [`${app}/auth/callback`],
      post_logout_redirect_uris: [`${app}/`],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true, methods: ['S256'] },
  // Keycloak puts the profile claims into the ID token itself.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'tenant_id', 'realm_access'],
  },
  async findAccount(_ctx, id) {
    // The provider's dev login form sends the username as typed: it is the account id.
    const claims = claimsOf(String(id));
    if (!claims) return undefined;
    return { accountId: claims.sub, claims: async () => claims };
  },
  // First-party client: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addResourceScope('urn:stoa:portal', 'openid email profile');
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:stoa:portal',
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'openid email profile',
        audience: 'stoa-portal',
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  // Keycloak's access tokens carry the same identity claims as its ID tokens.
  async extraTokenClaims(_ctx, token) {
    const claims = claimsOf(String(token.accountId ?? ''));
    if (!claims) return undefined;
    const { preferred_username, tenant_id, realm_access, name, email } = claims;
    return { preferred_username, tenant_id, realm_access, name, email };
  },
  ttl: { AccessToken: 300, IdToken: 300, Session: 3600, Interaction: 600, Grant: 3600 },
});
provider.proxy = false;
for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error']) {
  provider.on(event, (_ctx, err) => console.error(`${event}:`, err));
}

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer} for ${app}`);
});
