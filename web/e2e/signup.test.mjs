// End-to-end: a newcomer signs up, confirms the mailed code and lands in their workspace; bad
// input shows a readable message; the API docs render. (Set-up: harness.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, signUp, start } from './harness.mjs';

let app;
let browser;
let base;

before(async () => {
  app = await start();
  ({ browser, base } = app);
});

after(async () => {
  await app?.stop();
});

test('a newcomer signs up, confirms the code and reaches their workspace', async () => {
  const page = await browser.newPage();
  await signUp(app, page, { name: 'Grace Hopper', email: 'grace@example.org', password: 'correct horse battery' }, true);
  // The member list loads after the heading renders: wait for its row, then count.
  const members = page.getByRole('region', { name: "Members of Grace Hopper's workspace" });
  const me = members.getByRole('row').filter({ hasText: 'grace@example.org' });
  await me.waitFor();
  assert.equal(await me.count(), 1);
  assert.equal(await me.getByRole('cell', { name: 'owner', exact: true }).count(), 1);
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });

  // A reload keeps the session (refresh token), and logging out ends it.
  await page.reload();
  await page.getByRole('heading', { name: 'Security' }).waitFor();
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
});

test('bad input shows clear messages', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/signup`);
  await page.getByLabel('Your name').fill('X');
  await page.getByLabel('E-mail').fill('not-an-address');
  await page.getByLabel('Password (at least 10 characters)').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('must be a valid e-mail address').waitFor();
  await page.getByText('must be at least 10 characters').waitFor();
  await page.screenshot({ path: join(artifacts, 'signup-errors.png') });

  await page.goto(`${base}/login`);
  await page.getByLabel('E-mail').fill('grace@example.org');
  await page.getByLabel('Password').fill('wrong password!!');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'email or password is incorrect' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'login-error.png') });
});

test('the API docs render from the embedded Swagger UI', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${base}/api/docs`);
  await page.getByText('Zenalto API').first().waitFor();
  await page.getByText('/api/v1/auth/register').first().waitFor();
  await page.screenshot({ path: join(artifacts, 'api-docs.png') });
  assert.deepEqual(errors, [], 'no script errors (the CSP allows everything the page needs)');
});
