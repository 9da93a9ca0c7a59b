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
