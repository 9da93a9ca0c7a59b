import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';

/** Signs a seeded persona in with the local form (password `stoa-demo`). */
export async function signIn(page: Page, user: string) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill('stoa-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Publishes, as the signed-in user, an internal API (the catalog tests count what a
 * visitor sees) of one operation, `GET /orders/{id}`, on the tests' echo upstream,
 * version 1.0.0, deployed in `environments`. */
export async function publishOrdersApi(page: Page, name: string, slug: string, environments: string[]) {
  const upstream = process.env.E2E_UPSTREAM_URL ?? 'http://127.0.0.1:3190';
  const published = await page.request.post('/v1/catalog/apis', {
    data: {
      name,
      slug,
      publish: true,
      audience: 'Internal',
      environments,
      document: JSON.stringify({
        openapi: '3.0.3',
        info: { title: name, version: '1.0.0' },
        servers: [{ url: `${upstream}/v1` }],
        paths: { '/orders/{id}': { get: { operationId: 'getOrder', responses: { '200': { description: 'OK' } } } } },
      }),
    },
  });
  expect(published.status()).toBe(201);
}

/** axe (WCAG 2 A/AA) on the page, light and dark: no serious or critical finding. It runs
 * in the page, so with JavaScript on only (the HTML is the same without). */
export async function axe(page: Page) {
  if (test.info().project.name !== 'js') return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The wizard's last step has seen the first call: with JavaScript the page notices it by
 *  itself (no reload); without, the "I made the call" button checks until it has. */
export async function firstCallNoticed(page: Page) {
  const done = page.getByRole('heading', { name: 'Your first call went through' });
  if (test.info().project.name === 'js') {
    // live.js refetches every 2 s; a cold browser's first page has been seen to need more than 15 s.
    await expect(done).toBeVisible({ timeout: 30_000 });
  } else {
    await expect(async () => {
      await page.getByRole('button', { name: 'I made the call' }).click();
      await expect(done).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
  }
}

/** Every route of app/src/routes.rs, with who sees the most of it (null: anonymous).
 *  `:first` paths are opened through the list that links to them. */
export const ROUTES: [string, string | null][] = [
  ['/', null],
  ['/login', null],
  ['/catalog', null],
  ['/catalog?q=weather', null],
  ['/apis/demo/weather-forecast', 'alice'],
  ['/mcp/weather', 'alice'],
  ['/invitations/inv_not-a-real-link', null],
  ['/', 'alice'],
  ['/apps', 'alice'],
  ['/apps/:first', 'alice'],
  ['/profile', 'alice'],
  ['/notifications', 'tara'],
  ['/usage', 'alice'],
  ['/onboarding', 'bob'],
  ['/onboarding/use-case', 'bob'],
  ['/console/apis', 'dave'],
  ['/console/apis/new', 'dave'],
  ['/console/mcp/new', 'dave'],
  ['/console/requests', 'tara'],
  ['/console/requests/new', 'dave'],
  ['/console/requests/:first', 'tara'],
  ['/console/subscriptions', 'tara'],
  ['/console/usage', 'tara'],
  ['/console/onboarding', 'tara'],
  ['/console/members', 'tara'],
  ['/console/plans', 'tara'],
  ['/console/plans/:first', 'tara'],
  ['/console/audit', 'sam'],
  ['/console/demo', 'carl'],
  ['/console/tenants', 'carl'],
  ['/console/tenants/demo', 'carl'],
];

export async function open(page: Page, path: string) {
  if (path === '/apps/:first') {
    await page.goto('/apps');
    await page.locator('main a[href^="/apps/"]').first().click();
  } else if (path === '/console/plans/:first') {
    await page.goto('/console/plans');
    await page.locator('main a[href^="/console/plans/"]').first().click();
  } else if (path === '/console/requests/:first') {
    await page.goto('/console/requests');
    await page.locator('main a[href^="/console/requests/PR-"], main a[href^="/console/requests/"]:not([href$="/new"])').first().click();
  } else {
    await page.goto(path);
  }
  await expect(page.locator('main')).toBeVisible();
}

/** The sign-in form by its fields' names, whatever the page's language. */
export async function signInAnyLanguage(page: Page, user: string) {
  await page.goto('/login');
  await page.locator('input[name=username]').fill(user);
  await page.locator('input[name=password]').fill('stoa-demo');
  await page.locator('input[name=password]').press('Enter');
  await expect(page.locator('form[action="/logout"]')).toHaveCount(1);
}
