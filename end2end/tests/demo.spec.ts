import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { axe, firstCallNoticed, signIn } from './helpers';

// The walkthroughs of docs/demo.md, step by step, with JavaScript on and off. Both
// projects share one database: each names what it creates after itself.

test('(a) Bob makes a first call through the wizard and finds it on his usage page', async ({ page }) => {
  test.setTimeout(60_000);
  const project = test.info().project.name;
  const appName = `Intranet forecasts ${project}`;

  // 1. Sign in as bob. The banner says the data is demo data.
  await signIn(page, 'bob');
  await expect(page.getByText(/Demo data — reset every day at 04:00 UTC \(next in /)).toBeVisible();
  await axe(page);
  // 2. Open the wizard (Bob has an application already: the navigation does not offer
  //    it, the address does). The other project ran it as bob too: a fresh start.
  await page.request.delete('/v1/me/onboarding');
  await page.goto('/onboarding');
  // 3. REST APIs.
  await expect(page.getByText('Step 1 of 4')).toBeVisible();
  await page.getByLabel(/REST APIs/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  // 4. A new application; its key is shown once.
  await expect(page.getByText('Step 2 of 4')).toBeVisible();
  await page.getByLabel('Name of a new application').fill(appName);
  await page.getByRole('button', { name: 'Create it and show its key' }).click();
  await expect(page.getByText('you will not see it again')).toBeVisible();
  const key = await page.getByLabel('API key').inputValue();
  expect(key).toMatch(/^stoa_sk_/);
  await page.getByRole('link', { name: 'Continue' }).click();
  // 5. Weather Forecast API on the Free plan: active at once.
  await expect(page.getByText('Step 3 of 4')).toBeVisible();
  await page.locator('li', { hasText: 'Weather Forecast API' }).getByRole('button', { name: 'Plan Free' }).click();
  // 6. The command with the key, run for real: the demo's own weather backend answers.
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
  const curl = (await page.locator('code[data-command]').first().textContent()) ?? '';
  expect(curl).toContain('/gw/demo/weather-forecast/alerts?region=FR');
  const out = execFileSync('sh', ['-c', curl], { env: { ...process.env, STOA_API_KEY: key }, encoding: 'utf8' });
  expect(out).toContain('"region":"FR"');
  await firstCallNoticed(page);
  // 7. Usage: the call under the new application, and 30 days of the widget's history.
  await page.getByRole('link', { name: 'Usage', exact: true }).click();
  await page.getByLabel('Period', { exact: true }).selectOption('1h');
  await page.getByLabel('Application', { exact: true }).selectOption({ label: appName });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('dl dd').first()).toHaveText('1');
  // (The application list offers those with calls in the period shown.)
  await page.getByLabel('Period', { exact: true }).selectOption('30d');
  await page.getByLabel('Application', { exact: true }).selectOption({ label: 'All' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByLabel('Application', { exact: true }).selectOption({ label: 'Weather widget' });
  await page.getByRole('button', { name: 'Show' }).click();
  const widget = Number(((await page.locator('dl dd').first().textContent()) ?? '0').replace(/\D/g, ''));
  expect(widget).toBeGreaterThan(500);
  await axe(page);
});

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
}

function crmDocument(version: string): string {
  return [
    'openapi: 3.0.3',
    'info:',
    '  title: Customer CRM API',
    `  version: ${version}`,
    'paths:',
    '  /customers:',
    '    get:',
    '      summary: Search customers',
    '      parameters:',
    '        - { name: q, in: query, schema: { type: string } }',
    '      responses:',
    "        '200': { description: A page of customers }",
    '',
  ].join('\n');
}

test('(b) Dave ships a new CRM version: staging, a request, Tara approves, deployed', async ({ page }) => {
  test.setTimeout(90_000);
  const project = test.info().project.name;
  const version = `3.5.${Date.now() % 1000000}`;
  const why = `The ${project} walkthrough ships CRM ${version} with lead scoring.`;

  // 1. Dave publishes a new version of Customer CRM API, deployed to staging.
  await signIn(page, 'dave');
  await page.getByRole('link', { name: 'Console', exact: true }).click();
  await page.getByRole('link', { name: 'Publish', exact: true }).click();
  await page.locator('li', { hasText: 'Customer CRM API' }).getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('Name')).toHaveValue('Customer CRM API');
  await page.getByLabel('OpenAPI document').fill(crmDocument(version));
  await page.getByLabel('Staging').check();
  await page.getByLabel(/^Publish now/).check();
  await page.getByRole('button', { name: 'Store the version' }).click();
  await expect(page.locator('#console-notice')).toContainText('Published:');
  await expect(page.locator('li', { hasText: 'Customer CRM API' }).getByRole('row', { name: new RegExp(version.replace(/\./g, '\\.')) })).toBeVisible();

  // 2. The promotion request.
  await page.getByRole('link', { name: 'Promotions' }).click();
  await page.getByRole('link', { name: 'New request' }).click();
  await page.getByLabel('API version (deployed in staging)').selectOption({ label: `customer-crm ${version}` });
  await page.getByLabel('Justification (at least 20 characters)').fill(why);
  await page.getByLabel('Impact').selectOption('medium');
  await page.getByLabel('Staging tests passed').check();
  await page.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.locator('h1 [data-state]')).toHaveText('pending');
  const id = (await page.locator('h1 .font-mono').textContent())!.trim();
  await signOut(page);

  // 3. Tara reads it and approves with a comment.
  await signIn(page, 'tara');
  await page.goto('/console/requests');
  await page.getByRole('link', { name: id }).click();
  await expect(page.getByText(why)).toBeVisible();
  await page.getByLabel('Comment').fill('Lead scoring reviewed with sales; go.');
  await page.getByRole('button', { name: 'Add the comment' }).click();
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('Approved: the deployment starts')).toBeVisible();

  // 4. Deploying, then deployed; the version is in production on the API's page.
  await expect(async () => {
    await page.goto(`/console/requests/${id}`);
    await expect(page.locator('h1 [data-state]')).toHaveText('deployed', { timeout: 500 });
  }).toPass({ timeout: 30_000 });
  await expect(page.locator('li[data-action="start"]')).toBeVisible();
  await page.goto('/apis/demo/customer-crm');
  await expect(page.getByRole('row', { name: new RegExp(`^${version.replace(/\./g, '\\.')}`) })).toContainText('Production');
});

test('(c) Carol asks for premium forecasts, Tara refuses with a reason, Carol reads it', async ({ page }) => {
  test.setTimeout(60_000);
  const project = test.info().project.name;
  const app = `Delivery planner ${project}`;
  const reason = 'Premium is for production traffic; use Free while you test.';

  // 1. Carol's new application asks for Weather Forecast API, Premium: it waits for approval.
  await signIn(page, 'carol');
  await page.goto('/apps/new');
  await page.getByLabel('Name').fill(app);
  await page.getByRole('button', { name: 'Create the application' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(app);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Catalog' }).click();
  await page.getByLabel('Search', { exact: true }).fill('weather');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Weather Forecast API', exact: true }).click();
  const subscribe = page.locator('#subscribe');
  await subscribe.getByLabel('Application').selectOption({ label: app });
  await subscribe.getByLabel(/^Premium/).check();
  await subscribe.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await expect(page.getByText('Requested: the API team reviews it')).toBeVisible();
  await signOut(page);

  // 2. Tara rejects it from the queue, with the reason.
  await signIn(page, 'tara');
  await page.getByRole('link', { name: 'Console', exact: true }).click();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Subscriptions' }).click();
  const row = page.locator('tr', { hasText: app });
  await expect(row.locator('[data-state]')).toHaveText('pending approval');
  await row.getByLabel('Reason (at least 10 characters to reject)').fill(reason);
  await row.getByRole('button', { name: 'Reject', exact: true }).click();
  await expect(page.locator('tr', { hasText: app })).toHaveCount(0);
  await signOut(page);

  // 3. Carol is told; her application shows the refusal and its reason.
  await signIn(page, 'carol');
  const told = page.locator('li[data-notification="subscription-rejected"]', { hasText: app });
  await expect(async () => {
    await page.goto('/notifications');
    await expect(told).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await page.goto('/apps');
  await page.getByRole('link', { name: app }).click();
  const sub = page.locator('li[data-subscription="weather-forecast"]');
  await expect(sub.locator('[data-state]')).toHaveText('rejected');
  await expect(sub).toContainText(reason);
});

test('(d) Sam reads the trail of the walkthroughs', async ({ page }) => {
  const today = new Date().toISOString().slice(0, 10);
  // 1. The audit trail, from the console.
  await signIn(page, 'sam');
  await page.getByRole('link', { name: 'Console', exact: true }).click();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit trail' }).click();
  await axe(page);
  // 2. Today, by actor and action: who did what, each with its time and subject.
  const rows = page.locator('tbody tr');
  for (const [actor, action] of [
    ['bob', 'auth.sign-in'],
    ['bob', 'apps.created'],
    ['dave', 'requests.created'],
    ['tara', 'requests.approve'],
    ['carol', 'subscriptions.created'],
    ['tara', 'subscriptions.reject'],
  ]) {
    await page.goto(`/console/audit?from=${today}&to=${today}`);
    await page.getByLabel('Actor').fill(actor);
    await page.getByLabel('Action').selectOption(action);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(rows.first(), `${actor} ${action}`).toContainText(action);
    await expect(rows.first()).toContainText(actor);
    await expect(rows.first()).toContainText(today);
  }
});
