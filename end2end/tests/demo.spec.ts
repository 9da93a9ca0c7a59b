import { expect, test } from '@playwright/test';
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
