// End-to-end chat with the assistant (no AI provider: the local interpreter): draft a post by
// asking, schedule it a couple of minutes ahead, see the confirmation card, confirm it, and watch
// the post reach the sandbox network. (Set-up: harness.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, signUp, start } from './harness.mjs';

const user = { name: 'Hedy Lamarr', email: 'hedy@example.org', password: 'frequency hopping' };
let app;

before(async () => {
  app = await start();
});

after(async () => {
  await app?.stop();
});

let feedPath;
let feedToken;

/** The sandbox feed of the user's workspace, through the API in a session of its own (one login). */
async function sandboxFeed() {
  const call = async (path, token, body) => {
    const response = await fetch(`${app.base}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(response.ok, `${path}: ${response.status}`);
    return response.json();
  };
  if (!feedToken) {
    const session = await call('/api/v1/auth/login', null, { email: user.email, password: user.password });
    const me = await call('/api/v1/me', session.accessToken);
    feedToken = session.accessToken;
    feedPath = `/api/v1/workspaces/${me.workspaces[0].id}/sandbox/feed`;
  }
  return (await call(feedPath, feedToken)).posts;
}

test('chat: draft, schedule with a confirmation card, published on the sandbox', async () => {
  const page = await app.browser.newPage();
  await signUp(app, page, user);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Accounts' }).click();
  await page.getByLabel('Sandbox handle').fill('hedy');
  await page.getByRole('button', { name: 'Connect sandbox account' }).click();
  await page.getByText('@hedy').waitFor();

  await nav.getByRole('link', { name: 'Assistant' }).click();
  const message = page.getByLabel('Message');
  await message.fill('write a post about our spring sale');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText(/I saved 1 draft about “our spring sale”/).first().waitFor();

  // Two minutes ahead in the browser's zone (the machine's, as for this script).
  const at = new Date(Date.now() + 120_000);
  const day = at.getDate() === new Date().getDate() ? 'today' : 'tomorrow';
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  await message.fill(`schedule it ${day} at ${time}`);
  await page.getByRole('button', { name: 'Send' }).click();
  const card = page.getByRole('group', { name: 'Confirmation' });
  await card.waitFor();
  // The card names the post, the time in the browser's zone and the account.
  const summary = (await card.innerText()).replace(/\s+/g, ' ');
  assert.match(summary, new RegExp(`^Schedule “.*spring sale.*” for .* ${time} \\(.+\\), to @hedy \\(Sandbox\\)\\.`, 'i'));
  await page.screenshot({ path: join(artifacts, 'assistant-card.png'), fullPage: true });
  assert.equal((await sandboxFeed()).length, 0, 'nothing goes out before the card is confirmed');

  await card.getByRole('button', { name: 'Confirm' }).click();
  await card.getByText(/^Scheduled “/).waitFor();
  await page.screenshot({ path: join(artifacts, 'assistant-confirmed.png'), fullPage: true });

  // The worker publishes it when due.
  let feed = [];
  for (let i = 0; i < 120 && feed.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 1_000));
    feed = await sandboxFeed();
  }
  assert.equal(feed.length, 1, 'published on the sandbox');
  assert.match(JSON.stringify(feed[0]), /spring sale/i);
});
