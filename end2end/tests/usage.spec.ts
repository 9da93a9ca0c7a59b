import { APIRequestContext, expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axe, signIn } from './helpers';

// A developer calls an API through STOA with its key, opens /usage and finds the calls,
// the charts and its quota bar; filters on its application; downloads the calls as CSV.
// With JavaScript on, a new call shows without a reload. The tenant's admin finds the
// consumer in /console/usage. Both dashboards pass axe (WCAG 2 A/AA), light and dark.
// Both projects share one database: each publishes its own API and application.

const upstream = process.env.E2E_UPSTREAM_URL ?? 'http://127.0.0.1:3190';

function document(title: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title, version: '1.0.0' },
    servers: [{ url: `${upstream}/v1` }],
    paths: { '/orders/{id}': { get: { operationId: 'getOrder', responses: { '200': { description: 'OK' } } } } },
  });
}

async function gatewayCall(request: APIRequestContext, slug: string, key: string) {
  const res = await request.get(`/gw/demo/${slug}/orders/7`, { headers: { 'x-api-key': key } });
  expect(res.status()).toBe(200);
}

test('a developer finds its calls on /usage and the tenant admin finds the consumer', async ({ page, browser }) => {
  test.setTimeout(60_000);
  const project = test.info().project.name;
  const slug = `usage-desk-${project}`;
  const appName = `Usage client ${project}`;

  await signIn(page, 'dave');
  const published = await page.request.post('/v1/catalog/apis', {
    // Internal: the catalog tests count what a visitor sees.
    data: { name: `Usage desk ${project}`, slug, document: document(`Usage desk ${project}`), publish: true, audience: 'Internal', environments: ['prod'] },
  });
  expect(published.status()).toBe(201);
  // Dave (devops) is also the consumer: an internal API is his to subscribe to.
  const created = await page.request.post('/v1/applications', { data: { name: appName, security_profile: 'api_key' } });
  expect(created.status()).toBe(201);
  const appId = (await created.json()).id as string;
  const key = (await (await page.request.post(`/v1/applications/${appId}/keys`, { data: {} })).json()).secret as string;
  const subscribed = await page.request.post('/v1/subscriptions', {
    data: { application_id: appId, tenant: 'demo', entry: slug, plan: 'free' },
  });
  expect(subscribed.status()).toBe(201);
  for (let i = 0; i < 3; i++) await gatewayCall(page.request, slug, key);

  // The dashboard, filtered on the application from the form.
  await page.getByRole('link', { name: 'Usage', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Usage' })).toBeVisible();
  await page.getByLabel('Period', { exact: true }).selectOption('1h');
  await page.getByLabel('Application', { exact: true }).selectOption({ label: appName });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(new RegExp(`application=${appId}`));
  // The address keeps what was chosen, not the fields left blank (issue 31, item 11).
  expect(new URL(page.url()).search).not.toMatch(/=(&|$)/);
  const calls = page.locator('dl dd').first();
  await expect(calls).toHaveText('3');
  await expect(page.getByRole('img', { name: /Calls over time/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Latency over time/ })).toBeVisible();
  const quota = page.locator('li', { hasText: `${appName} → Usage desk ${project}` });
  await expect(quota.getByRole('meter').first()).toHaveAttribute('aria-valuenow', '3');
  await expect(quota).toContainText('3 of 1,000 (0.3 %)');
  await expect(page.locator('#usage-last-calls tbody tr')).toHaveCount(3);
  // The chart's data as a table, behind a disclosure.
  await page.locator('#usage-calls-data summary').click();
  await expect(page.locator('#usage-calls-data table')).toBeVisible();

  // Every call of the selection as CSV: a header and three rows.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'every call (within the days calls are kept)' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  expect(csv[0]).toMatch(/^time,event_id,application_id,application,api,operation/);
  expect(csv).toHaveLength(1 + 3);

  if (project === 'js') {
    // A new call shows on the open dashboard by itself.
    await gatewayCall(page.request, slug, key);
    await expect(calls).toHaveText('4', { timeout: 15_000 });
  } else {
    // Without JavaScript, a reload shows it (once counted: the ingest gathers up to 100 ms).
    await gatewayCall(page.request, slug, key);
    await expect(async () => {
      await page.reload();
      await expect(calls).toHaveText('4', { timeout: 500 });
    }).toPass({ timeout: 15_000 });
  }
  await axe(page);

  // A year at a glance: twelve points, one per month, and the page says why.
  await page.getByLabel('Period', { exact: true }).selectOption('12m');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByText(/one point per month/)).toBeVisible();
  await expect(page.locator('#usage-calls-data tbody tr')).toHaveCount(12);
  await expect(calls).toHaveText('4');

  // The tenant's admin sees the consumer's application among the callers of its APIs.
  const admin = await browser.newContext({ javaScriptEnabled: project === 'js' });
  const tara = await admin.newPage();
  await signIn(tara, 'tara');
  await tara.getByRole('link', { name: 'Console', exact: true }).click();
  await tara.getByRole('link', { name: 'API usage' }).click();
  await expect(tara.getByRole('heading', { level: 1, name: 'API usage' })).toBeVisible();
  await tara.getByLabel('Period', { exact: true }).selectOption('1h');
  await tara.getByRole('button', { name: 'Show' }).click();
  await expect(tara.getByRole('table', { name: 'Top consumers (application · its tenant)' })).toContainText(`${appName} · demo`);
  await axe(tara);
  await admin.close();
});
