import { expect, Page } from '@playwright/test';

/** Signs a seeded persona in with the local form (password `stoa-demo`). */
export async function signIn(page: Page, user: string) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill('stoa-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
