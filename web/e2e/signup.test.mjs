// End-to-end smoke test in Debian's Chromium (playwright-core, no downloaded browser) against the
// real binary on a fresh data folder: a newcomer signs up, confirms the mailed code and lands in
// their workspace; bad input shows a readable message. Screenshots go to e2e/artifacts/.
//
// Needs ZENALTO_BIN (the built `zenalto` binary) and Chromium at /usr/bin/chromium.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const bin = process.env.ZENALTO_BIN;
const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const dataDir = mkdtempSync(join(tmpdir(), 'zenalto-e2e-'));
let server;
let browser;
let base;

const env = { ...process.env, ZENALTO__DATA_DIR: dataDir, ZENALTO__LOG__LEVEL: 'warn' };
delete env.ZENALTO__DATABASE__URL;

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitReady(url) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('zenalto did not become ready');
}

function lastCode(email) {
  const out = execFileSync(bin, ['admin', 'outbox', '--to', email, '--limit', '1'], { env, encoding: 'utf8' });
  const match = out.match(/verification code is (\d{6})/);
  assert.ok(match, `no code in the outbox:\n${out}`);
  return match[1];
}

before(async () => {
  assert.ok(bin, 'set ZENALTO_BIN to the zenalto binary');
  mkdirSync(artifacts, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--bind', `127.0.0.1:${port}`], { env, stdio: 'inherit' });
  await waitReady(base);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

test('a newcomer signs up, confirms the code and reaches their workspace', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/signup`);
  await page.getByLabel('Your name').fill('Grace Hopper');
  await page.getByLabel('E-mail').fill('grace@example.org');
  await page.getByLabel('Password (at least 10 characters)').fill('correct horse battery');
  await page.screenshot({ path: join(artifacts, 'signup.png') });
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/verify/);
  await page.getByLabel('Verification code').fill(lastCode('grace@example.org'));
  await page.screenshot({ path: join(artifacts, 'verify.png') });
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: "Members of Grace Hopper's workspace" }).waitFor();
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
