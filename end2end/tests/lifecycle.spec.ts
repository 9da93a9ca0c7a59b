import { expect, test } from '@playwright/test';
import { axe, publishOrdersApi, signIn } from './helpers';

// A version's lifecycle (issue 33), with JavaScript on and off: the API team deprecates a
// version from the console with a successor; its API page then says so and points to it.

test('an API team deprecates a version and its page points callers to the successor', async ({ page }) => {
  const project = test.info().project.name;
  const slug = `orders-${project}-${Date.now() % 1_000_000}`;
  await signIn(page, 'dave');
  await publishOrdersApi(page, `Orders ${project}`, slug, ['prod']);
  const upstream = process.env.E2E_UPSTREAM_URL ?? 'http://127.0.0.1:3190';
  const next = await page.request.post('/v1/catalog/apis', {
    data: {
      name: `Orders ${project}`, slug, publish: true, audience: 'Internal', environments: [],
      document: JSON.stringify({
        openapi: '3.0.3', info: { title: 'Orders', version: '1.1.0' }, servers: [{ url: `${upstream}/v1` }],
        paths: { '/orders/{id}': { get: { operationId: 'getOrder', responses: { '200': { description: 'OK' } } } } },
      }),
    },
  });
  expect(next.status()).toBe(200);

  await page.goto('/console/apis');
  const row = page.locator(`[data-entry="${slug}"] tr[data-version="1.0.0"]`);
  await row.getByText('Deprecate…').click();
  await row.getByLabel('Callers move to').selectOption('1.1.0');
  await row.getByRole('button', { name: 'Deprecate and tell its callers' }).click();
  await expect(page.locator('#console-notice')).toContainText('Deprecated:');
  await expect(page.locator(`[data-entry="${slug}"] tr[data-version="1.0.0"]`)).toHaveAttribute('data-status', 'deprecated');
  await axe(page);

  await page.goto(`/apis/demo/${slug}?version=1.0.0`);
  const note = page.locator('[data-lifecycle="deprecated"]');
  await expect(note).toContainText('Version 1.0.0 is deprecated: it is retired on');
  await note.getByRole('link', { name: 'Move to version 1.1.0.' }).click();
  await expect(page).toHaveURL(new RegExp(`/apis/demo/${slug}\\?version=1\\.1\\.0`));
  await axe(page);
});
