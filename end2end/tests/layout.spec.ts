import { expect, test, type Page } from '@playwright/test';
import { open, ROUTES, signInAnyLanguage } from './helpers';

// Layout (issue 31, item 5): every page of every persona, on a 390 × 844 phone and at
// 1280 × 900, in English, French and German: nothing scrolls sideways, no box is wider
// than its container, no control cuts its text, no badge wraps, and the header keeps to
// one line on a desktop and to one bar on a phone (its menu folded).

/** What does not fit on the page, described for a person (empty: everything fits). */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      // Which boxes reach past the right edge: the innermost ones say why.
      const past = Array.from(document.body.querySelectorAll('*')).filter(
        (el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !el.closest('.sr-only'),
      );
      const innermost = past.filter((el) => !past.some((o) => o !== el && el.contains(o))).slice(0, 3);
      problems.push(
        `the page scrolls sideways: ${root.scrollWidth} px wide in ${root.clientWidth}, past the edge: ` +
          innermost.map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}">`).join(', '),
      );
    }
    const name = (el: Element) => {
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 48);
      const cls = typeof el.className === 'string' ? el.className.split(/\s+/).slice(0, 4).join('.') : '';
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls ? `.${cls}` : ''}> "${text}"`;
    };
    // Inside a box that scrolls or clips on purpose (code, tables), overflow is intended.
    const scrolled = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
      }
      return false;
    };
    const canvas = document.createElement('canvas').getContext('2d')!;
    const textWidth = (text: string, s: CSSStyleDeclaration) => {
      canvas.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      return canvas.measureText(text).width;
    };
    const inner = (el: HTMLElement, s: CSSStyleDeclaration) =>
      el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      if (el.closest('.sr-only, [hidden], noscript, script, style, svg, template')) continue;
      const s = getComputedStyle(el);
      if (s.display === 'none' || s.visibility === 'hidden' || s.position === 'absolute' || s.position === 'fixed') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || scrolled(el)) continue;
      if (s.display !== 'inline' && s.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`wider than its box: ${name(el)} (${el.scrollWidth} > ${el.clientWidth})`);
      }
      const parent = el.parentElement;
      if (parent && parent !== document.body) {
        const p = parent.getBoundingClientRect();
        if (r.right > p.right + 1 || r.left < p.left - 1) {
          problems.push(`out of its container: ${name(el)} (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(p.left)}–${Math.round(p.right)})`);
        }
      }
      // A select narrower than its room that cuts its text (the native arrow takes the
      // right padding); one already as wide as its container cannot do better with a
      // long name.
      const room = parent ? parent.clientWidth : root.clientWidth;
      if (el instanceof HTMLSelectElement && el.selectedOptions[0] && r.width < room - 2) {
        const text = el.selectedOptions[0].text;
        if (textWidth(text, s) > inner(el, s) + 1) problems.push(`a select cuts its text: ${name(el)} "${text}"`);
      }
      if (el instanceof HTMLInputElement && el.placeholder && !el.value) {
        if (textWidth(el.placeholder, s) > inner(el, s) + 1) {
          problems.push(`an input cuts its placeholder: ${name(el)} "${el.placeholder}"`);
        }
      }
      if (el.dataset.badge !== undefined && el.getClientRects().length > 1) problems.push(`a badge wraps: ${name(el)}`);
      if (el.dataset.badge !== undefined && r.height > parseFloat(s.lineHeight) * 1.5 + 8) {
        problems.push(`a badge wraps: ${name(el)}`);
      }
    }
    return [...new Set(problems)].slice(0, 20);
  });
}

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

for (const language of ['en', 'fr', 'de'] as const) {
  for (const size of SIZES) {
    test.describe(`layout at ${size.width} px (${language})`, () => {
      test.use({ locale: language, viewport: { width: size.width, height: size.height } });
      const personas = [...new Set(ROUTES.map(([, who]) => who))];
      for (const who of personas) {
        test(`${who ?? 'anonymous'}'s pages fit (${size.name}, ${language})`, async ({ page }) => {
          // The boxes are the same without JavaScript; the language select's Apply button
          // (shown without it) is checked by the header test below.
          test.skip(test.info().project.name !== 'js', 'measured once');
          if (who) {
            await signInAnyLanguage(page, who);
            // The language under test, whatever the persona's profile says (another test
            // may have set it): the cookie is what the server negotiates first.
            await page.context().addCookies([{ name: 'stoa_lang', value: language, url: page.url() }]);
          }
          for (const [path] of ROUTES.filter(([, w]) => w === who)) {
            await test.step(path, async () => {
              await open(page, path);
              await expect(page.locator('html')).toHaveAttribute('lang', language);
              expect.soft(await layoutProblems(page), `${path} at ${size.width} px in ${language}`).toEqual([]);
              const header = await page.locator('header').boundingBox();
              // One line of links on a desktop; one bar, its menu folded, on a phone.
              expect.soft(header!.height, `${path}: the header's height at ${size.width} px in ${language}`).toBeLessThanOrEqual(size.name === 'phone' ? 64 : 72);
            });
          }
        });
      }
    });
  }
}

test('on a phone the header folds its links into a menu, with JavaScript or without', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAnyLanguage(page, 'tara');
  await page.goto('/catalog');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav).toBeHidden();
  await page.getByText('Menu', { exact: true }).click();
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'Console' }).click();
  await expect(page).toHaveURL(/\/console\//);
  // Nothing scrolls sideways with the menu open either.
  await page.getByText('Menu', { exact: true }).click();
  expect(await layoutProblems(page)).toEqual([]);
});
