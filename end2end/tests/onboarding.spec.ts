import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { axe, firstCallNoticed, publishOrdersApi, signIn } from './helpers';

// A developer follows the onboarding wizard from its first step to a first call through
// STOA: a use case, a new application and its key (shown once), a plan without approval,
// then the curl command the page shows, run for real in a child process with the key in
// STOA_API_KEY. With JavaScript the page notices the call by itself; without, the "I
// made the call" button checks. Each step passes axe (WCAG 2 A/AA, light and dark).
// The wizard resumes in a second browser (another sign-in) where it was left, without
// the key. A platform admin's funnel then counts the user once more at every stage.
// The test prints the journey's figures: pages and form posts from sign-in to the first
// call, and the time from the wizard's start to it.

/** The funnel's users per stage, as a platform admin reads it for the demo tenant. */
async function stages(admin: Page): Promise<number[]> {
  const res = await admin.request.get('/v1/admin/onboarding/funnel?tenant=demo&days=1');
  expect(res.status()).toBe(200);
  return (await res.json()).stages.map((s: { users: number }) => s.users);
}

test('a developer goes from the first step to a first call through STOA', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const project = test.info().project.name;
  const slug = `onboarding-desk-${project}`;
  const apiName = `Onboarding desk ${project}`;

  // From sign-in on, every page and form post the user makes is counted.
  let pages = 0;
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.redirectedFrom() === null) pages += 1;
  });
  // Dave (devops) both publishes the API to call and onboards: an internal API is his
  // to subscribe to (internal: the catalog tests count what a visitor sees).
  await signIn(page, 'dave');
  await publishOrdersApi(page, apiName, slug, ['prod']);
  // A fresh start (the other project ran the wizard as dave too).
  expect((await page.request.delete('/v1/me/onboarding')).status()).toBe(204);
  // The funnel before: dave is not in it any more.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'carl');
  const before = await stages(admin);

  await page.goto('/onboarding');
  await expect(page.getByText('Step 1 of 4')).toBeVisible();
  await axe(page);
  await page.getByLabel(/REST APIs/).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByText('Step 2 of 4')).toBeVisible();
  await axe(page);
  await page.getByLabel('Name of a new application').fill(`Wizard app ${project} ${Date.now()}`);
  await page.getByRole('button', { name: 'Create it and show its key' }).click();
  await expect(page.getByText('you will not see it again')).toBeVisible();
  const key = await page.getByLabel('API key').inputValue();
  expect(key).toMatch(/^stoa_sk_/);
  if (project === 'js') {
    // The copy button puts the key on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  } else {
    // Without JavaScript there is nothing to click: the field can be selected.
    await expect(page.getByRole('button', { name: 'Copy' })).toBeHidden();
  }

  // Another browser, another sign-in: the wizard resumes at step 3, without the key.
  const elsewhere = await browser.newContext({ javaScriptEnabled: project === 'js' });
  const second = await elsewhere.newPage();
  await signIn(second, 'dave');
  await second.getByRole('link', { name: 'Getting started' }).click();
  await expect(second.getByText('Step 3 of 4')).toBeVisible();
  expect(await second.content()).not.toContain(key);
  await elsewhere.close();

  await page.getByRole('link', { name: 'Continue' }).click();

  await expect(page.getByText('Step 3 of 4')).toBeVisible();
  await axe(page);
  await page.locator('li', { hasText: apiName }).getByRole('button', { name: 'Plan Free' }).click();

  await expect(page.getByText('Step 4 of 4')).toBeVisible();
  await axe(page);
  // The key is not on the page any more: the commands read it from STOA_API_KEY.
  expect(await page.content()).not.toContain(key);
  const curl = (await page.locator('code[data-command]').first().textContent()) ?? '';
  expect(curl).toContain(`/gw/demo/${slug}/orders/1`);
  const out = execFileSync('sh', ['-c', curl], { env: { ...process.env, STOA_API_KEY: key }, encoding: 'utf8' });
  expect(out).toContain('/v1/orders/1');
  const postsBeforeDone = pages;

  await firstCallNoticed(page);
  await expect(page.getByText(/Time to first call: \d+ min \d+ s/)).toBeVisible();
  await axe(page);
  const state = await (await page.request.get('/v1/me/onboarding')).json();
  expect(state.step).toBe('done');
  // Done: the navigation stops offering the wizard.
  await page.goto('/catalog');
  await expect(page.getByRole('link', { name: 'Getting started' })).toHaveCount(0);

  // The platform admin's funnel counts dave once more at every stage, and its page
  // shows the chart and passes axe.
  expect(await stages(admin)).toEqual(before.map((n) => n + 1));
  await admin.goto('/console/onboarding?tenant=demo&days=7');
  await expect(admin.getByRole('img', { name: 'Users at each stage' })).toBeVisible();
  await expect(admin.getByRole('heading', { name: /Stalled for more than 24 hours/ })).toBeVisible();
  await axe(admin);
  await adminContext.close();
  console.log(
    `onboarding figures (${project}): ${postsBeforeDone} pages and form posts from sign-in to the first call; ` +
      `time to first call ${state.time_to_first_call_seconds} s`,
  );
});
