import { expect, Page, test } from '@playwright/test';
import { publishOrdersApi, signIn } from './helpers';

// A devops engineer asks to promote an API version to production; the tenant-admin
// comments and approves; the built-in deployer deploys; the requester sees it deployed
// and is notified — and never sees an approve button on their own request. JS on and off; each project makes its own request.

// Dave's team publishes a version to staging (its own API per test and project: one
// promotion per version), which the form then offers; its label there.
async function candidate(page: Page, slug: string): Promise<string> {
  await publishOrdersApi(page, slug, slug, ['staging']);
  return `${slug} 1.0.0`;
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
}

test('a promotion request is created, approved by someone else and deployed', async ({ page }) => {
  const why = `Customers need the alerts endpoint (${test.info().project.name} run).`;
  await signIn(page, 'dave');
  const target = await candidate(page, `promoted-desk-${test.info().project.name}`);
  await page.getByRole('link', { name: 'Console', exact: true }).click();
  await page.getByRole('link', { name: 'Promotions' }).click();
  await page.getByRole('link', { name: 'New request' }).click();
  // Versions already in production are not offered; the demo's candidate is.
  const offered = await page.getByLabel('API version (deployed in staging)').locator('option').allTextContents();
  expect(offered).toContain('weather-forecast 1.2.0');
  expect(offered).not.toContain('weather-forecast 1.1.0');
  await page.getByLabel('API version (deployed in staging)').selectOption({ label: target });
  // The browser applies the same minimum as the server before anything is sent.
  const justification = page.getByLabel('Justification (at least 20 characters)');
  await justification.fill('Too short');
  await expect(justification).toHaveJSProperty('validity.tooShort', true);
  await justification.fill(why);
  await page.getByLabel('Impact').selectOption('medium');
  await page.getByLabel('Staging tests passed').check();
  await page.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.getByText('The request was sent')).toBeVisible();
  await expect(page.locator('h1 [data-state]')).toHaveText('pending');
  const id = (await page.locator('h1 .font-mono').textContent())!.trim();
  expect(id).toMatch(/^PR-\d{4}-\d{4}$/);
  // Four eyes: no approve button on one's own request.
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel the request' })).toBeVisible();
  await signOut(page);

  await signIn(page, 'tara');
  await page.goto('/console/requests');
  await page.getByRole('link', { name: id }).click();
  await expect(page.getByText(why)).toBeVisible();
  await page.getByLabel('Comment').fill('Rollback window agreed with the on-call team.');
  await page.getByRole('button', { name: 'Add the comment' }).click();
  await expect(page.getByText('Your comment was added.')).toBeVisible();
  await expect(page.locator('li[data-action="comment"]')).toContainText('Rollback window agreed');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('Approved: the deployment starts')).toBeVisible();
  // Each timeline line says one transition.
  await expect(page.locator('li[data-action="approve"] p').first()).toHaveText('tara · pending → approved');
  await expect(page.locator('li[data-action="create"] p').first()).toHaveText(/^dave · created the request/);
  if (test.info().project.name === 'js') {
    // The page follows the request while the deployer moves it: no reload.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await expect(page.locator('h1 [data-state]')).toHaveText('deployed', { timeout: 20_000 });
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    await expect(page.locator('[data-transition="deploying-deployed"]')).toBeVisible();
  }
  await signOut(page);

  await signIn(page, 'dave');
  await expect(async () => {
    await page.goto(`/console/requests/${id}`);
    await expect(page.locator('h1 [data-state]')).toHaveText('deployed', { timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await expect(page.locator('li[data-action="succeed"]')).toContainText('deployer');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  // And the requester is told.
  const told = page.locator('li[data-notification="request-deployed"]', { hasText: id });
  await expect(async () => {
    await page.goto('/notifications');
    await expect(told).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(told).toContainText('Your promotion was deployed to production');
});

test('cancelling a request asks first', async ({ page }) => {
  await signIn(page, 'dave');
  const target = await candidate(page, `withdrawn-desk-${test.info().project.name}`);
  await page.goto('/console/requests/new');
  await page.getByLabel('API version (deployed in staging)').selectOption({ label: target });
  await page.getByLabel('Justification (at least 20 characters)').fill(`Asked, then withdrawn (${test.info().project.name} run).`);
  await page.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.locator('h1 [data-state]')).toHaveText('pending');
  await page.getByRole('button', { name: 'Cancel the request' }).click();
  // Nothing happened yet: the page asks, and keeping it changes nothing.
  await expect(page.getByText('Cancel this request?')).toBeVisible();
  await expect(page.locator('h1 [data-state]')).toHaveText('pending');
  await page.getByRole('link', { name: 'Keep it' }).click();
  await expect(page.locator('h1 [data-state]')).toHaveText('pending');
  await page.getByRole('button', { name: 'Cancel the request' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the request' }).click();
  await expect(page.locator('h1 [data-state]')).toHaveText('cancelled');
  await expect(page.getByText('Justification', { exact: true })).toBeVisible();
  await expect(page.getByText('Justification (at least 20 characters)')).toHaveCount(0);
});
