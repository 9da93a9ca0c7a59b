import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// A developer publishes an API from the console (paste, refused, fixed; draft → publish),
// finds it in the catalog, opens it and tries an operation through the portal's proxy —
// with JavaScript on and off. Both projects share one database: each publishes its own API.

const upstream = process.env.E2E_UPSTREAM_URL ?? 'http://127.0.0.1:3190';

function document(title: string, version: string): string {
  return [
    'openapi: 3.0.3',
    'info:',
    `  title: ${title}`,
    `  version: ${version}`,
    'servers:',
    `  - url: ${upstream}/v1`,
    'paths:',
    '  /orders/{id}:',
    '    get:',
    '      summary: Read one order',
    '      tags: [orders]',
    '      parameters:',
    '        - { name: id, in: path, required: true, schema: { type: string } }',
    '        - { name: expand, in: query, schema: { type: string } }',
    '      responses:',
    "        '200': { description: The order }",
    '',
  ].join('\n');
}

test('a developer publishes an API, finds it and tries an operation', async ({ page }) => {
  const project = test.info().project.name;
  const name = `Order Desk ${project}`;
  await signIn(page, 'dave');
  await page.getByRole('link', { name: 'Console', exact: true }).click();
  await page.getByRole('link', { name: 'Publish', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Your APIs and MCP servers' })).toBeVisible();
  await page.getByRole('link', { name: 'Publish an API' }).click();

  // A broken document comes back with its location, and what was typed is still there.
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Tags').fill('orders, e2e');
  await page.getByLabel('Audience').selectOption('internal');
  await page.getByLabel('OpenAPI document').fill(document(name, '1.0.0').replace('version: 1.0.0', 'version: [1'));
  await page.getByRole('button', { name: 'Store the version' }).click();
  await expect(page.locator('#publish-document-error')).toContainText(
    'This is not a valid OpenAPI 3.0 or 3.1 document: line 5',
  );
  await expect(page.getByLabel('Name')).toHaveValue(name);
  await expect(page.getByLabel('Audience')).toHaveValue('internal');

  await page.getByLabel('OpenAPI document').fill(document(name, '1.0.0'));
  await page.getByLabel('Production').check();
  await page.getByRole('button', { name: 'Store the version' }).click();
  await expect(page.locator('#console-notice')).toContainText('Saved as a draft:');
  const entry = page.locator('li', { hasText: name });
  await expect(entry.getByRole('row', { name: /1\.0\.0/ })).toContainText('Draft');
  await entry.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('#console-notice')).toContainText('Published:');

  // Browse → search → detail.
  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  await page.getByLabel('Search', { exact: true }).fill(`order desk ${project}`);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);

  // An application whose key goes with the try.
  await page.goto('/apps/new');
  await page.getByLabel('Name').fill(`Order client ${project}`);
  await page.getByRole('button', { name: 'Create the application' }).click();
  await page.getByRole('button', { name: 'Create an API key' }).click();
  await expect(page.locator('#issued-secret')).toContainText('shown only this once');
  await page.goBack();
  await page.goBack();
  await page.goto(`/catalog?q=${encodeURIComponent(`order desk ${project}`)}`);
  await page.getByRole('link', { name }).click();
  // Subscribed on the free plan (no approval): calls through STOA are allowed.
  const subscribe = page.locator('#subscribe');
  await subscribe.getByLabel('Application').selectOption({ label: `Order client ${project}` });
  await subscribe.getByLabel(/^Free/).check();
  await subscribe.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Order client ${project}`);
  await page.goto(`/catalog?q=${encodeURIComponent(`order desk ${project}`)}`);
  await page.getByRole('link', { name }).click();

  // Try it: the echo API answers through the gateway (/gw), which kept the key.
  const op = page.locator('details', { hasText: 'Read one order' });
  await op.locator('summary').click();
  await op.getByLabel(/^id/).fill('A-17');
  await op.getByLabel(/^expand/).fill('lines');
  await op.getByRole('button', { name: 'Send the request' }).click();
  const answer = page.getByRole('region', { name: 'Answer' });
  await expect(answer).toContainText('HTTP 200');
  await expect(answer).toContainText(/GET http:\/\/[^ ]+\/gw\/demo\/[a-z0-9-]+\/orders\/A-17\?expand=lines/);
  // Indented (issue 31, item 9), the raw bytes kept beside.
  await expect(answer.locator('[data-try-body]')).toContainText('  "path": "/v1/orders/A-17"');
  await expect(answer.locator('[data-try-body]')).toContainText('"api_key": null');
  await expect(answer.locator('[data-try-raw]')).toContainText('"path":"/v1/orders/A-17"', { useInnerText: false });
  await expect(answer).toContainText('Sent with a key of your application');
  // The form keeps what was sent, for the next try.
  await expect(page.locator('details', { hasText: 'Read one order' }).getByLabel(/^id/)).toHaveValue('A-17');
});

test('a visitor is asked to sign in before trying an operation', async ({ page }) => {
  await page.goto('/apis/demo/weather-forecast');
  const op = page.locator('details').first();
  await op.locator('summary').click();
  await expect(op.getByRole('link', { name: 'Sign in to try this operation.' })).toBeVisible();
});

test('an MCP server is published with its tools, a bad input schema named where it fails', async ({ page }) => {
  const project = test.info().project.name;
  await signIn(page, 'tara');
  await page.goto('/console/mcp/new');
  await page.getByLabel('Name').fill(`Stock MCP ${project}`);
  await page.getByLabel('Audience').selectOption('internal');
  const tool = (type: string) =>
    JSON.stringify({ tools: [{ name: 'get_stock', description: 'Units in stock for a product', inputSchema: { type: 'object', properties: { sku: { type } } } }] });
  await page.getByLabel('Tools (JSON)').fill(tool('strng'));
  await page.getByRole('button', { name: 'Publish the server' }).click();
  await expect(page.locator('#publish-tools-error')).toContainText('/tools/0/inputSchema/properties/sku/type');
  await page.getByLabel('Tools (JSON)').fill(tool('string'));
  await page.getByRole('button', { name: 'Publish the server' }).click();
  await expect(page.locator('#console-notice')).toContainText('MCP server published:');
  await page.locator('li', { hasText: `Stock MCP ${project}` }).getByRole('link', { name: `Stock MCP ${project}` }).click();
  await expect(page.getByRole('heading', { name: 'get_stock' })).toBeVisible();
});
