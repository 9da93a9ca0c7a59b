import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { axe, signIn } from './helpers';

/** The invitation link mailed to `to`, read from the test SMTP server's file. */
async function mailedLink(to: string): Promise<string> {
  const file = process.env.E2E_SMTP_FILE;
  if (!file) throw new Error('E2E_SMTP_FILE is not set (scripts/e2e.sh starts the SMTP sink)');
  let link: string | undefined;
  await expect(async () => {
    const mails = existsSync(file)
      ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
      : [];
    const mail = mails.reverse().find((m) => m.to.includes(to));
    const found = mail?.data.replace(/=\r?\n/g, '').match(/\/invitations\/(inv_[A-Za-z0-9_-]+)/);
    expect(found, `an invitation mailed to ${to}`).toBeTruthy();
    link = `/invitations/${found[1]}`;
  }).toPass({ timeout: 20_000 });
  return link!;
}

test('a tenant admin invites someone, who joins from the e-mail and lands in the wizard', async ({ page, browser }) => {
  const project = test.info().project.name;
  const email = `beta-${project}-${Date.now()}@example.com`;
  const username = `beta-${project}-${Date.now() % 100000}`;
  await signIn(page, 'tara');
  await page.goto('/console/members');
  await axe(page);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Role').selectOption('devops');
  await page.getByRole('button', { name: 'Send the invitation', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`${email} is invited: the e-mail with the link is on its way.`);
  await expect(page.locator(`[data-invitation="${email}"]`)).toHaveAttribute('data-status', 'pending');

  // The invited person, in a browser of their own, opens the link from the e-mail.
  const link = await mailedLink(email);
  const context = await browser.newContext({ javaScriptEnabled: project === 'js' });
  const visitor = await context.newPage();
  await visitor.goto(link);
  await expect(visitor.getByText('Tara Tenant-Admin invites you to Demo Tenant as API developer.')).toBeVisible();
  await axe(visitor);
  await visitor.getByLabel('Username').fill(username);
  await visitor.getByLabel('Your name').fill('Beta Tester');
  await visitor.getByLabel('Password').fill('short');
  await visitor.getByRole('button', { name: 'Create my account' }).click();
  // Refused next to the field; what was typed stays (but the password).
  await expect(visitor.getByText('This password is too short: use at least 12 characters.')).toBeVisible();
  await expect(visitor.getByLabel('Username')).toHaveValue(username);
  await visitor.getByLabel('Password').fill('correct-horse-battery');
  await visitor.getByRole('button', { name: 'Create my account' }).click();
  await expect(visitor).toHaveURL(/\/onboarding/);
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Getting started: your first call through STOA');
  await expect(visitor.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // The link works once.
  await visitor.goto(link);
  await expect(visitor.getByRole('alert')).toHaveText(/This invitation link was already used/);
  await context.close();

  await page.goto('/console/members');
  await expect(page.locator(`[data-invitation="${email}"]`)).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByRole('region', { name: 'Members of the tenant' })).toContainText(username);
});

test('a tenant admin revokes an invitation after confirming, and its link stops working', async ({ page }) => {
  const project = test.info().project.name;
  const email = `revoked-${project}-${Date.now()}@example.com`;
  await signIn(page, 'tara');
  await page.goto('/console/members');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send the invitation', exact: true }).click();
  const link = await mailedLink(email);
  await page.getByRole('link', { name: `Revoke the invitation of ${email}` }).click();
  await expect(page.getByText(`Revoke the invitation of ${email}? Its link stops working.`)).toBeVisible();
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('The invitation was revoked: its link no longer works.');
  await expect(page.locator(`[data-invitation="${email}"]`)).toHaveAttribute('data-status', 'revoked');
  await page.goto(link);
  await expect(page.getByRole('alert')).toHaveText(/This invitation was revoked\. Ask Tara Tenant-Admin/);
});

test('a platform admin creates a tenant and sees it listed', async ({ page }) => {
  const slug = `t-${test.info().project.name}-${Date.now() % 1000000}`;
  await signIn(page, 'carl');
  await page.goto('/console/tenants');
  await axe(page);
  await page.getByLabel('Identifier').fill(slug);
  await page.getByLabel('Name', { exact: true }).fill('Initech');
  await page.getByLabel("First administrator's e-mail").fill(`admin@${slug}.example`);
  await page.getByRole('button', { name: 'Create the tenant' }).click();
  await expect(page.getByText('The tenant was created.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Tenants of this portal' })).toContainText(slug);
  const link = await mailedLink(`admin@${slug}.example`);
  await page.goto(link);
  await expect(page.getByText('invites you to Initech as Tenant administrator.')).toBeVisible();
});

test('an invited person may join with their organisation account instead of a password', async ({ page, browser }) => {
  // Ines's provider account exists once per run: the journey runs with JavaScript on only
  // (the provider's pages are the same without it; oidc.spec.ts covers both).
  test.skip(test.info().project.name !== 'js', 'one provider account per run');
  const providerUrl = process.env.E2E_OIDC_URL ?? 'http://127.0.0.1:3180';
  await signIn(page, 'tara');
  await page.goto('/console/members');
  // First the wrong address: the provider's account is not the one invited.
  await page.getByLabel('E-mail address').fill('someone-else@demo.example');
  await page.getByRole('button', { name: 'Send the invitation', exact: true }).click();
  const wrong = await mailedLink('someone-else@demo.example');
  await page.getByLabel('E-mail address').fill('ines@demo.example');
  await page.getByRole('button', { name: 'Send the invitation', exact: true }).click();
  const link = await mailedLink('ines@demo.example');

  const context = await browser.newContext();
  const ines = await context.newPage();
  const viaProvider = async (invitation: string) => {
    await ines.goto(invitation);
    await ines.getByRole('link', { name: 'Sign in with your organisation' }).click();
    if (ines.url().startsWith(providerUrl)) {
      await ines.locator('input[name="login"]').fill('ines');
      await ines.locator('input[name="password"]').fill('any');
      await ines.locator('button[type="submit"]').click();
    }
  };
  await viaProvider(wrong);
  await expect(ines.getByRole('alert')).toHaveText(/another e-mail address than the invited one \(someone-else@demo\.example\)/);
  await viaProvider(link);
  await expect(ines).toHaveURL(/\/onboarding/);
  await expect(ines.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await context.close();
  await page.goto('/console/members');
  await expect(page.locator('[data-invitation="ines@demo.example"]')).toHaveAttribute('data-status', 'accepted');
  await expect(page.locator('[data-invitation="someone-else@demo.example"]')).toHaveAttribute('data-status', 'pending');
});
