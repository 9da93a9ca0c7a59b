import { expect, test } from '@playwright/test';
import { axe, signIn } from './helpers';

// Plans an API team manages (issue 33), with JavaScript on and off: the tenant-admin
// defines a plan offered on one API, a consumer sees it there and only there and moves a
// subscription to it, the tenant-admin archives it and it is no longer offered.

test('a tenant admin defines a plan for one API, a consumer sees it there, and it is archived', async ({ page, browser }) => {
  const project = test.info().project.name;
  const slug = `e2e-${project}-${Date.now() % 1_000_000}`;
  const name = `Gold ${project} ${Date.now() % 1_000_000}`;
  await signIn(page, 'tara');
  await page.goto('/console/plans');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plans');
  await expect(page.locator('[data-plan="free"]')).toBeVisible();
  await axe(page);

  // A per-second rate above the per-minute one is refused next to the field, the rest kept.
  await page.getByLabel('Identifier').fill(slug);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description').fill('For **production** callers.');
  await page.getByLabel('Calls per second').fill('50');
  await page.getByLabel('Calls per minute').fill('20');
  await page.getByLabel('Only those checked:').check();
  await page.locator('input[name="offered_on"][value="api/weather-forecast"]').check();
  await page.getByRole('button', { name: 'Create the plan' }).click();
  await expect(page.getByText('Cannot be above the calls per minute.')).toBeVisible();
  await expect(page.getByLabel('Identifier')).toHaveValue(slug);
  await expect(page.getByLabel('Calls per second')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Calls per second').fill('5');
  await page.getByRole('button', { name: 'Create the plan' }).click();
  await expect(page.getByRole('status')).toContainText('The plan is saved.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('main strong', { hasText: 'production' })).toBeVisible();
  await axe(page);
  const planPage = page.url().replace(/\?.*$/, '');

  // The consumer sees it on that API and not on another.
  const context = await browser.newContext({ javaScriptEnabled: project === 'js' });
  const alice = await context.newPage();
  await signIn(alice, 'alice');
  await alice.goto('/apis/demo/weather-forecast');
  await expect(alice.locator(`[data-plan="${slug}"]`)).toContainText(name);
  await alice.goto('/apis/demo/customer-crm');
  await expect(alice.locator('[data-plan="free"]')).toBeVisible();
  await expect(alice.locator(`[data-plan="${slug}"]`)).toHaveCount(0);

  // The consumer moves a subscription from Free to the new plan on the application's page.
  const made = await alice.request.post('/v1/applications', {
    data: { name: `Plan mover ${slug}`, security_profile: 'api_key' },
  });
  expect(made.status()).toBe(201);
  const appId = (await made.json()).id;
  const subscribed = await alice.request.post('/v1/subscriptions', {
    data: { application_id: appId, tenant: 'demo', entry: 'weather-forecast', plan: 'free' },
  });
  expect(subscribed.status()).toBe(201);
  await alice.goto(`/apps/${appId}`);
  await axe(alice);
  await alice.getByLabel('Another plan').selectOption(slug);
  await alice.getByRole('button', { name: 'Change plan' }).click();
  await expect(alice.getByRole('status')).toContainText('The subscription is on its new plan now.');
  await expect(alice.locator('[data-subscription="weather-forecast"]')).toContainText(name);

  // Archived after a confirmation: no longer offered.
  await page.goto(planPage);
  await page.getByRole('button', { name: 'Archive the plan…' }).click();
  await expect(page.getByText(`Archive ${name}? Nobody can choose it afterwards.`)).toBeVisible();
  await page.getByRole('button', { name: 'Yes, archive' }).click();
  await expect(page.getByRole('status')).toContainText('The plan is archived.');
  await alice.goto('/apis/demo/weather-forecast');
  await expect(alice.locator(`[data-plan="${slug}"]`)).toHaveCount(0);
  await context.close();
});
