import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// A developer's application: created, a key shown once, rotated with a grace period,
// revoked after confirmation, the application deleted after confirmation — JS on and off.
// Both projects share one database: each works on its own application.

test('an application gets a key shown once, rotates it, revokes it and is deleted', async ({ page }) => {
  const name = `Mobile app ${test.info().project.name}`;
  await signIn(page, 'alice');
  await page.getByRole('link', { name: 'Applications', exact: true }).click();
  await page.getByRole('link', { name: 'New application' }).click();

  // Bad input is named next to its field, and what was typed stays.
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Security profile').selectOption('oauth2_confidential');
  await page.getByLabel('Redirect URIs').fill('http://mobile.example/callback');
  await page.getByRole('button', { name: 'Create the application' }).click();
  await expect(page.locator('#app-redirect_uris-error')).toContainText('must be https');
  await expect(page.getByLabel('Name')).toHaveValue(name);
  await page.getByLabel('Security profile').selectOption('api_key');
  await page.getByLabel('Redirect URIs').fill('');
  await page.getByRole('button', { name: 'Create the application' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('[data-saved="created"]')).toContainText('The application was created.');

  await page.getByRole('button', { name: 'Create an API key' }).click();
  const secret = await page.locator('#issued-value').inputValue();
  expect(secret).toMatch(/^stoa_sk_[A-Za-z0-9_-]{43}$/);
  await page.reload();
  await expect(page.locator('#issued-value')).toHaveCount(0);
  await expect(page.getByText(`${secret.slice(0, 14)}…`)).toBeVisible();

  await page.getByLabel('Grace (hours)').fill('2');
  await page.getByRole('button', { name: 'Rotate' }).click();
  await expect(page.locator('#issued-secret')).toContainText('The previous secret keeps working until');
  await expect(page.getByText(/replaced, still valid until/)).toBeVisible();

  const active = page.locator('li[data-credential]', { hasText: 'active' });
  await active.getByRole('link', { name: 'Revoke…' }).click();
  await expect(page.getByText('Revoke this credential now?')).toBeVisible();
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(page.getByText('The credential was revoked')).toBeVisible();

  await page.getByRole('link', { name: 'Delete the application' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('The application was deleted')).toBeVisible();
  await expect(page.getByRole('link', { name })).toHaveCount(0);
});
