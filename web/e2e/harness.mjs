// What every end-to-end file needs: the real binary on a fresh data folder and a free port,
// Debian's Chromium through playwright-core (no downloaded browser), the mailed code, and a
// signed-up user. Screenshots go to e2e/artifacts/.
//
// Needs ZENALTO_BIN (the built `zenalto` binary) and Chromium at /usr/bin/chromium (or CHROMIUM).

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

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

/** Starts `zenalto serve` (API, web UI and workers) and Chromium. Call `stop()` when done. */
export async function start() {
  const bin = process.env.ZENALTO_BIN;
  assert.ok(bin, 'set ZENALTO_BIN to the zenalto binary');
  mkdirSync(artifacts, { recursive: true });
  const env = { ...process.env, ZENALTO__DATA_DIR: mkdtempSync(join(tmpdir(), 'zenalto-e2e-')), ZENALTO__LOG__LEVEL: 'warn' };
  delete env.ZENALTO__DATABASE__URL;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Links the server makes (signed media URLs, e-mails) point at where it really listens.
  env.ZENALTO__SERVER__PUBLIC_URL = base;
  const server = spawn(bin, ['serve', '--bind', `127.0.0.1:${port}`], { env, stdio: 'inherit' });
  await waitReady(base);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    base,
    browser,
    /** The newest verification code mailed to `email` (from the local outbox). */
    lastCode(email) {
      const out = execFileSync(bin, ['admin', 'outbox', '--to', email, '--limit', '1'], { env, encoding: 'utf8' });
      const match = out.match(/verification code is (\d{6})/);
      assert.ok(match, `no code in the outbox:\n${out}`);
      return match[1];
    },
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
    },
  };
}

/** Signs a new user up through the UI and confirms the mailed code; returns on their workspace. */
export async function signUp(app, page, { name, email, password }, screenshots = false) {
  await page.goto(`${app.base}/signup`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password (at least 10 characters)').fill(password);
  if (screenshots) await page.screenshot({ path: join(artifacts, 'signup.png') });
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/verify/);
  await page.getByLabel('Verification code').fill(app.lastCode(email));
  if (screenshots) await page.screenshot({ path: join(artifacts, 'verify.png') });
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: `Members of ${name}'s workspace` }).waitFor();
}
