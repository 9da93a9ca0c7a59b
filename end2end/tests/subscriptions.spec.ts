import { expect, Page, test } from '@playwright/test';
import { signIn } from './helpers';

// A developer subscribes an application to a premium plan; the tenant-admin hears of it
// through the bell, approves it from the queue; the developer is notified and sees the
// subscription active — JS on and off. Both projects share one database: each works on
// its own application.

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
}

/** Reloads the notifications page until this notification is there (the relay hands
 *  events to the notification consumer within about a second). */
async function awaitNotification(page: Page, kind: string, about: string) {
  const note = page.locator(`li[data-notification="${kind}"][data-read="false"]`, { hasText: about });
  await expect(async () => {
    await page.goto('/notifications');
    await expect(note).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  return note;
}

test('a premium subscription is requested, approved from the queue, and the developer is told', async ({ page }) => {
  const name = `Premium app ${test.info().project.name} ${Date.now()}`;
  await signIn(page, 'alice');
  await page.goto('/apps/new');
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create the application' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByText('This application subscribes to nothing yet.')).toBeVisible();

  await page.goto('/apis/demo/weather-forecast');
  const subscribe = page.locator('#subscribe');
  await subscribe.getByLabel('Application').selectOption({ label: name });
  await subscribe.getByLabel(/^Premium/).check();
  await subscribe.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await expect(page.getByText('Requested: the API team reviews it')).toBeVisible();
  const mine = page.locator('li[data-subscription="weather-forecast"]');
  await expect(mine.locator('[data-state]')).toHaveText('pending approval');
  await signOut(page);

  // The tenant-admin's bell, then the queue.
  await signIn(page, 'tara');
  await awaitNotification(page, 'subscription-pending', name);
  await page.goto('/catalog');
  await expect(page.locator('#bell [data-unread]')).toBeVisible();
  await page.locator('#bell').click();
  const request = page.locator('li[data-notification="subscription-pending"]', { hasText: name });
  await expect(request).toContainText('A subscription request waits for your decision');
  await request.getByRole('button', { name: 'Open' }).click();
  await expect(page).toHaveURL(/\/console\/subscriptions/);
  const row = page.locator('tr', { hasText: name });
  await expect(row.locator('[data-state]')).toHaveText('pending approval');
  // Rejecting needs a real reason: said next to the field, nothing decided.
  await row.getByLabel('Reason (at least 10 characters to reject)').fill('no');
  await row.getByRole('button', { name: 'Reject', exact: true }).click();
  await expect(page.locator('tr', { hasText: name }).getByText('Give a reason of at least 10 characters')).toBeVisible();
  await page.locator('tr', { hasText: name }).getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.getByText('Approved: one subscription.')).toBeVisible();
  await expect(page.locator('tr', { hasText: name })).toHaveCount(0);
  await signOut(page);

  // The developer is told, and the subscription is active.
  await signIn(page, 'alice');
  await awaitNotification(page, 'subscription-approved', name);
  await page.goto('/apps');
  await expect(page.locator('#bell [data-unread]')).toBeVisible();
  await page.locator('#bell').click();
  const decision = page.locator('li[data-notification="subscription-approved"]', { hasText: name });
  await expect(decision).toContainText('Your subscription was approved');
  await decision.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('li[data-subscription="weather-forecast"] [data-state]')).toHaveText('active');
});
