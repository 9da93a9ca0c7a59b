import { expect, test, type Page } from '@playwright/test';
import { axe, open, ROUTES, signInAnyLanguage } from './helpers';

// Accessibility (issue 17): axe (WCAG 2 A/AA, light and dark) on every page of the portal
// and the console, each as the persona who sees the most of it, in English and in French;
// and every journey's main action done with the keyboard alone, the focus visible.

for (const language of ['en', 'fr'] as const) {
  test.describe(`axe on every page (${language})`, () => {
    test.use({ locale: language === 'fr' ? 'fr-FR' : 'en-US' });
    const personas = [...new Set(ROUTES.map(([, who]) => who))];
    for (const who of personas) {
      test(`${who ?? 'anonymous'}'s pages (${language})`, async ({ page }) => {
        // axe runs in the page: with JavaScript only (the HTML is the same without).
        test.skip(test.info().project.name !== 'js', 'axe needs JavaScript');
        if (who) await signInAnyLanguage(page, who);
        for (const [path] of ROUTES.filter(([, w]) => w === who)) {
          await test.step(path, async () => {
            await open(page, path);
            if (language === 'fr') await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
            await axe(page);
          });
        }
      });
    }
  });
}

/** The element that has the focus shows it (an outline or a ring). */
async function expectFocusVisible(page: Page) {
  const shown = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'nothing has the focus';
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const ring = s.boxShadow !== 'none';
    return outline || ring ? 'ok' : `${el.tagName} ${el.textContent?.trim().slice(0, 40)} shows no focus`;
  });
  expect(shown).toBe('ok');
}

/** Tabs until the element matching `locator` has the focus (at most 80 presses), checking
 *  at each step that the focus is visible. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) {
      await expectFocusVisible(page);
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Signs in with the keyboard alone. */
async function keyboardSignIn(page: Page, user: string) {
  await page.goto('/login');
  await tabTo(page, page.getByLabel('Username'));
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type('stoa-demo');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

test.describe('keyboard alone', () => {
  test('sign in, find an API in the catalog and open it', async ({ page }) => {
    await keyboardSignIn(page, 'bob');
    await page.goto('/catalog');
    await tabTo(page, page.locator('main input[name=q]'));
    await page.keyboard.type('weather');
    await page.keyboard.press('Enter');
    const link = page.locator('main').getByRole('link', { name: 'Weather Forecast API' }).first();
    await tabTo(page, link);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Weather Forecast');
  });

  test('create an application and its key', async ({ page }, info) => {
    await keyboardSignIn(page, 'alice');
    await page.goto('/apps');
    await tabTo(page, page.getByRole('link', { name: 'New application' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByLabel('Name'));
    await page.keyboard.type(`Keyboard app ${info.project.name}`);
    await tabTo(page, page.getByRole('button', { name: 'Create the application' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Keyboard app ${info.project.name}`);
    await tabTo(page, page.getByRole('button', { name: 'Create an API key' }));
    await page.keyboard.press('Enter');
    await expect(page.locator('#issued-value')).toHaveValue(/^stoa_sk_/);
  });

  test('subscribe to a premium plan, and the approver approves it', async ({ page }, info) => {
    await keyboardSignIn(page, 'alice');
    const name = `Keyboard subscriber ${info.project.name} ${Date.now()}`;
    await page.goto('/apps/new');
    await tabTo(page, page.getByLabel('Name'));
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await page.goto('/apis/demo/weather-forecast');
    const form = page.locator('#subscribe');
    await tabTo(page, form.getByLabel('Application'));
    await form.getByLabel('Application').selectOption({ label: name });
    // A radio group takes one Tab; the arrows choose within it.
    await tabTo(page, form.locator('input[name=plan]').first());
    const premium = form.getByLabel(/^Premium/);
    for (let i = 0; i < 6 && !(await premium.isChecked()); i++) await page.keyboard.press('ArrowDown');
    await expect(premium).toBeChecked();
    await expect(premium).toBeFocused();
    await tabTo(page, form.getByRole('button', { name: 'Subscribe', exact: true }));
    await page.keyboard.press('Enter');
    await expect(page.getByText('Requested: the API team reviews it')).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('form[action="/logout"]')).toHaveCount(0);

    await keyboardSignIn(page, 'tara');
    await page.goto('/console/subscriptions');
    await tabTo(page, page.locator('tr', { hasText: name }).getByRole('button', { name: 'Approve', exact: true }));
    await page.keyboard.press('Enter');
    await expect(page.locator('tr', { hasText: name })).toHaveCount(0);
  });

  test('a promotion request is commented on', async ({ page }) => {
    await keyboardSignIn(page, 'tara');
    await page.goto('/console/requests');
    await page.locator('main a[href^="/console/requests/"]:not([href$="/new"])').first().focus();
    await expectFocusVisible(page);
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByLabel('Comment'));
    await page.keyboard.type('Checked with the keyboard alone.');
    await tabTo(page, page.getByRole('button', { name: 'Add the comment' }));
    await page.keyboard.press('Enter');
    await expect(page.getByText('Checked with the keyboard alone.').first()).toBeVisible();
  });

  test('a tenant admin invites someone', async ({ page }, info) => {
    await keyboardSignIn(page, 'tara');
    await page.goto('/console/members');
    await tabTo(page, page.getByLabel('E-mail address'));
    await page.keyboard.type(`keyboard-${info.project.name}@demo.example`);
    await tabTo(page, page.getByRole('button', { name: 'Send the invitation', exact: true }));
    await page.keyboard.press('Enter');
    await expect(page.getByText(`keyboard-${info.project.name}@demo.example`).first()).toBeVisible();
  });
});
