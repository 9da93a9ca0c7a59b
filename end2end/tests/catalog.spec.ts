import { expect, test } from '@playwright/test';

// Browse → search → facet → detail, as a visitor, with JavaScript on and off.
test('a visitor browses, searches and opens an API', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.getByText('10 results')).toBeVisible();

  await page.getByLabel('Search', { exact: true }).fill('shipm');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=shipm/);
  await expect(page.getByRole('link', { name: 'Shipment Tracking API' })).toBeVisible();

  await page.getByRole('link', { name: 'Shipment Tracking API' }).click();
  await expect(page).toHaveURL(/\/apis\/oasis\/shipment-tracking$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Shipment Tracking API');
  await expect(page.getByRole('cell', { name: '2.0.0' })).toBeVisible();
  const list = page.locator('details', { hasText: 'List shipments' });
  await list.locator('summary').click();
  await expect(list.getByRole('cell', { name: 'cursor', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download the OpenAPI document' })).toHaveAttribute(
    'href',
    '/v1/catalog/apis/oasis/shipment-tracking/versions/2.0.0/document',
  );
});

test('facets narrow the results and an empty search says so', async ({ page }) => {
  await page.goto('/catalog');
  await page.getByRole('complementary').getByRole('link', { name: /MCP server/ }).click();
  await expect(page.getByText('2 results')).toBeVisible();
  await page.getByRole('link', { name: 'Weather MCP server' }).click();
  await expect(page).toHaveURL(/\/mcp\/weather$/);
  await expect(page.getByRole('heading', { name: 'get_forecast' })).toBeVisible();

  await page.goto('/catalog?q=nothing-like-this');
  await expect(page.getByText('Nothing matches this search.')).toBeVisible();
  await page.getByRole('link', { name: 'Show the whole catalog' }).click();
  await expect(page.getByText('10 results')).toBeVisible();
});

test('with JavaScript on, results follow the search box as one types', async ({ page }) => {
  test.skip(test.info().project.name === 'no-js', 'the plain form is covered above');
  await page.goto('/catalog');
  await expect(page.locator('#catalog-search[data-ready]')).toBeAttached();
  await expect(page.getByText('10 results')).toBeVisible();
  await page.getByLabel('Search', { exact: true }).pressSequentially('shipm', { delay: 30 });
  await expect(page.getByText('2 results')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Shipment Tracking API' })).toBeVisible();
  await expect(page).toHaveURL(/\/catalog\?q=shipm/);
  // Nothing was submitted: the box keeps focus and its text.
  await expect(page.getByLabel('Search', { exact: true })).toBeFocused();
  await page.getByLabel('Sort by').selectOption('name');
  await expect(page).toHaveURL(/sort=name/);
});
