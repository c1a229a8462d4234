// End-to-end connect on a real third-party server: mastodon-mock (PyPI), started by
// scripts/services.sh. The person types their Mastodon server, Zenalto registers itself there
// and sends the browser to the server's own consent page, the server sends them back to
// /connect/callback, and the account appears with its health; a post published to it reaches
// the server. (Set-up: harness.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { artifacts, signUp, start } from './harness.mjs';

const mastodon = process.env.ZENALTO_TEST_MASTODON_MOCK_URL;
const user = { name: 'Grace Hopper', email: 'grace@example.org', password: 'compiler pioneer' };
let app;

before(async () => {
  assert.ok(mastodon, 'ZENALTO_TEST_MASTODON_MOCK_URL is not set: run `source scripts/services.sh` (./scripts/test does)');
  app = await start();
});

after(async () => {
  await app?.stop();
});

test('connect a Mastodon account through its server, then publish to it', async () => {
  const page = await app.browser.newPage();
  await signUp(app, page, user);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Accounts' }).click();

  // A server address that is not https (and not this machine) is refused with a clear message.
  await page.getByLabel('Mastodon server').fill('http://example.org');
  await page.getByRole('button', { name: 'Connect Mastodon' }).click();
  await page.getByText('the server must be reached over https').waitFor();

  // The real flow: Zenalto registers at the server, the browser goes to its consent page.
  await page.getByLabel('Mastodon server').fill(mastodon);
  await page.getByRole('button', { name: 'Connect Mastodon' }).click();
  await page.waitForURL(/\/oauth\/authorize/);
  await page.screenshot({ path: join(artifacts, 'connect-consent.png') });
  await page.getByRole('button', { name: /Katherine Johnson/ }).click();

  // Back on Zenalto: the callback completes in the same session and lands on the accounts page.
  await page.waitForURL(/\/accounts$/);
  const row = page.getByRole('listitem').filter({ hasText: '@katherine' });
  await row.getByText('Mastodon').first().waitFor();
  await row.getByText('Connected').waitFor();
  await page.screenshot({ path: join(artifacts, 'accounts-connected.png'), fullPage: true });

  // Publish to it from the composer with an image uploaded there; both reach the server.
  await nav.getByRole('link', { name: 'Compose' }).click();
  await page.getByRole('checkbox', { name: /Mastodon @katherine/ }).check();
  const text = `Hello from Zenalto ${Date.now()}`;
  await page.getByLabel('Post text').fill(text);
  await page.getByRole('button', { name: 'Attach media' }).click();
  const image = join(mkdtempSync(join(tmpdir(), 'zenalto-e2e-')), 'gradient.png');
  writeFileSync(image, gradientPng(320, 240));
  await page.getByLabel('Upload and attach').setInputFiles(image);
  await page.getByText('(1 attached)').waitFor();
  await page.screenshot({ path: join(artifacts, 'compose-media.png'), fullPage: true });
  await page.getByRole('figure', { name: /Preview on Mastodon/ }).getByText(text).waitFor();
  await page.getByRole('button', { name: 'Publish now' }).click();
  await page.getByText('Publishing now. Watch it on the calendar.').waitFor();
  let found = false;
  for (let i = 0; i < 60 && !found; i++) {
    const statuses = await (await fetch(`${mastodon}/api/v1/timelines/public?limit=40`)).json();
    found = statuses.some((s) => s.account?.acct === 'katherine' && s.content.includes(text) && s.media_attachments?.length === 1);
    if (!found) await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(found, 'the post is on the Mastodon server, with its image');

  // Settings: no AI provider yet (the local engine answers); a budget that is not an amount is
  // refused with a clear message.
  await nav.getByRole('link', { name: 'Settings' }).click();
  await page.getByText('No provider: the built-in local engine writes and analyses (free).').waitFor();
  await page.getByLabel(/Monthly budget/).fill('twenty');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'The monthly budget is an amount in US dollars' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'settings-ai.png'), fullPage: true });
  await page.close();
});

/** A real RGB PNG of the given size (a gradient), encoded here so the test needs no files. */
function gradientPng(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 128], row + 1 + x * 3);
  }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
