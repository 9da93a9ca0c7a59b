import { expect, test, type Page } from '@playwright/test';

// Sign-in through a real OpenID provider (end2end/oidc/provider.mjs: oidc-provider v8,
// PKCE required, Keycloak-shaped claims), once per persona, with JavaScript on and off.
const personas = [
  { user: 'olivia', name: 'Olivia Consumer', role: 'API consumer' },
  { user: 'dmitri', name: 'Dmitri Developer', role: 'API developer' },
  { user: 'tomas', name: 'Tomas Owner', role: 'Tenant administrator' },
  { user: 'camille', name: 'Camille Admin', role: 'Platform administrator' },
  { user: 'sofia', name: 'Sofia Auditor', role: 'Security auditor' },
];

const providerUrl = process.env.E2E_OIDC_URL ?? 'http://127.0.0.1:3180';

async function signInAtProvider(page: Page, user: string) {
  await page.goto('/login?next=/profile');
  await page.getByRole('link', { name: 'Sign in with your organisation' }).click();
  // The provider's own sign-in page.
  await expect(page).toHaveURL(new RegExp(`^${providerUrl}/interaction/`));
  await page.locator('input[name="login"]').fill(user);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
}

for (const p of personas) {
  test(`${p.user} signs in through the identity provider and out of both`, async ({ page }) => {
    await signInAtProvider(page, p.user);
    // Back on the portal, at the page asked for, as that persona with that role.
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByRole('link', { name: p.name })).toBeVisible();
    await expect(page.getByText(p.role, { exact: true })).toBeVisible();
    await expect(page.getByText('demo', { exact: true })).toBeVisible();

    // Signing out ends the provider's session too (RP-initiated logout): the provider
    // asks to confirm, then sends the browser home.
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await expect(page).toHaveURL(new RegExp(`^${providerUrl}/session/end`));
    await page.getByRole('button', { name: /yes, sign me out/i }).click();
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
    await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();

    // The provider forgot the user as well: signing in again asks for credentials.
    await page.goto('/login');
    await page.getByRole('link', { name: 'Sign in with your organisation' }).click();
    await expect(page.locator('input[name="login"]')).toBeVisible();
  });
}

test('a user of a tenant this portal does not know is told so', async ({ page }) => {
  await signInAtProvider(page, 'gina');
  await expect(page).toHaveURL(/\/login\?error=tenant/);
  // The sentence names the tenant and whom to ask.
  await expect(page.getByRole('alert')).toHaveText(/names the tenant “globex”, which this portal does not know yet\. Ask a platform administrator/);
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
});

test('a forged callback does not sign anyone in', async ({ page }) => {
  await page.goto('/auth/callback?code=stolen&state=guess');
  await expect(page).toHaveURL(/\/login\?error=provider/);
  await expect(page.getByRole('alert')).toHaveText(/did not complete/);
});
