import { expect, test, type Page } from '@playwright/test';

const jsOn = (page: Page) => test.info().project.name === 'js';

test('home page reads as a product, in English by default', async ({ page }) => {
  const res = await page.goto('/');
  expect(res?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find an API, get a key, ship.');
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Getting started' })).toBeVisible();
  // The seeded demo tenant is counted.
  await expect(page.getByText('Active tenants')).toBeVisible();
});

test('the language switcher changes the language and remembers it', async ({ page }) => {
  await page.goto('/');
  const select = page.getByLabel('Language');
  if (jsOn(page)) {
    await expect(select).toHaveAttribute('data-ready', '');
    // The keyboard moves through the options without leaving the page (issue 31,
    // item 8): ArrowDown changes the choice and shows Apply; Enter confirms it.
    await select.focus();
    await page.keyboard.press('ArrowDown');
    await expect(select).toHaveValue('fr');
    await expect(page.getByRole('button', { name: 'Apply' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.keyboard.press('Enter');
  } else {
    await select.selectOption('fr');
    // Without JavaScript the form needs its button (rendered inside <noscript>).
    await page.getByRole('button', { name: 'Apply' }).click();
  }
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trouvez une API, obtenez une clé, livrez.');
  await page.reload();
  await expect(page.getByRole('link', { name: 'Se connecter' })).toBeVisible();
  await expect(page.getByLabel('Langue')).toHaveValue('fr');
});

test('an unknown address gets a real 404 page', async ({ page }) => {
  const res = await page.goto('/there/is/nothing/here');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('alert')).toContainText('This page does not exist.');
  await page.getByRole('link', { name: 'Back to the home page' }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('with JavaScript the islands hydrate without errors', async ({ page }) => {
  test.skip(!jsOn(page), 'islands only exist with JavaScript');
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
  // The Apply button is for JavaScript-off visitors only.
  await expect(page.getByRole('button', { name: 'Apply' })).toHaveCount(0);
});

test('the colour scheme follows the system preference', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(light).not.toEqual(dark);
  // Dark means dark: every sRGB channel of the background below 64 (the canvas converts
  // whatever colour syntax the stylesheet uses — rgb, lab, oklch).
  const channels = await page.evaluate((colour) => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
  }, dark);
  expect(channels.every((c) => c < 64), `dark background ${dark} = rgb(${channels})`).toBe(true);
});

test('the built files are named by their content and kept for a year', async ({ page, request }) => {
  await page.goto('/');
  const css = await page.locator('link[rel="stylesheet"]').getAttribute('href');
  expect(css).toMatch(/^\/pkg\/stoa\.css\?v=[0-9a-f]{16}$/);
  expect((await request.get(css!)).headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  const js = await page.locator('link[rel="modulepreload"]').getAttribute('href');
  expect(js).toMatch(/^\/pkg\/stoa\.js\?v=[0-9a-f]{16}$/);
  const script = await request.get(js!);
  expect(script.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  // The same file without its digest is asked for again each time.
  expect((await request.get('/pkg/stoa.css')).headers()['cache-control']).toBe('no-cache');
});
