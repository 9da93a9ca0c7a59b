import { expect, test } from '@playwright/test';

// The security auditor reads the audit trail and filters it; a consumer never sees it.
test('the auditor finds their own sign-in in the audit trail and filters it', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('sam');
  await page.getByLabel('Password').fill('stoa-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // The console's side bar holds the audit trail.
  await page.getByRole('link', { name: 'Console', exact: true }).click();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit trail' }).click();
  await expect(page).toHaveURL(/\/console\/audit$/);
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toContainText('sam');
  await expect(rows.first()).toContainText('auth.sign-in');

  await page.getByLabel('Actor').fill('nobody-at-all');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/actor=nobody-at-all/);
  await expect(page.getByText('No audit entries match these filters.')).toBeVisible();

  await page.getByRole('link', { name: 'Reset' }).click();
  await page.getByLabel('Actor').fill('sam');
  await page.getByLabel('Action').selectOption('auth.sign-in');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(rows.first()).toContainText('sam');
  await expect(page.locator('tbody')).not.toContainText('auth.sign-out');
});

test('a consumer has no audit trail link and is refused at its address', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('stoa-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Alice Consumer' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Audit trail' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Console', exact: true })).toHaveCount(0);
  const res = await page.goto('/console/audit');
  expect(res?.status()).toBe(403);
  await expect(page.getByText('You are not allowed to see this page.')).toBeVisible();
});
