import { expect, test } from '@playwright/test';

test('a beta user signs in with a local account and signs out', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Username').fill('tara');
  await page.getByLabel('Password').fill('stoa-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText('Tara Tenant-Admin')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Tara Tenant-Admin')).toHaveCount(0);
});

test('a wrong password is refused with a message next to the form', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('tara');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
});
