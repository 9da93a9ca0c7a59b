import { expect, test } from '@playwright/test';

test('a beta user signs in with a local account and signs out', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Username').fill('tara');
  await page.getByLabel('Password').fill('stoa-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  // The header names who is signed in (their initials, the name as the link's).
  await expect(page.getByRole('link', { name: 'Tara Tenant-Admin' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Tara Tenant-Admin' })).toHaveCount(0);
});

test('a wrong password is refused with a message next to the form', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('tara');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
});

test('the profile shows the roles and keeps the chosen language', async ({ page }) => {
  // Both projects share one database: each changes the language of its own user.
  const who =
    test.info().project.name === 'js'
      ? { user: 'sam', name: 'Sam Security', role: 'Security auditor', es: 'Auditor de seguridad' }
      : { user: 'carl', name: 'Carl Platform-Admin', role: 'Platform administrator', es: 'Administrador de la plataforma' };
  await page.goto('/login');
  await page.getByLabel('Username').fill(who.user);
  await page.getByLabel('Password').fill('stoa-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: who.name }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByText(who.role)).toBeVisible();
  await page.getByLabel('Preferred language').selectOption('es');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByText(who.es)).toBeVisible();

  // Back to English, so that later tests meet this persona as seeded.
  await page.locator('#profile-language').selectOption('en');
  await page.locator('#profile-language').locator('xpath=ancestor::form').locator('button[type="submit"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
