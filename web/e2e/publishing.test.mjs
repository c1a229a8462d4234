// End-to-end publishing on the sandbox network: connect an account, compose with live
// per-network checks, schedule and publish now, and watch the calendar change live when a post
// is published from elsewhere (the API, in another session). (Set-up: harness.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifacts, signUp, start } from './harness.mjs';

const user = { name: 'Ada Lovelace', email: 'ada@example.org', password: 'analytical engine' };
let app;

before(async () => {
  app = await start();
});

after(async () => {
  await app?.stop();
});

/** The API in a session of its own (its own refresh-token family, so the page's stays valid). */
async function apiSession() {
  const call = async (method, path, token, body) => {
    const response = await fetch(`${app.base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const session = await call('POST', '/api/v1/auth/login', null, { email: user.email, password: user.password });
  const me = await call('GET', '/api/v1/me', session.accessToken);
  const workspace = me.workspaces[0].id;
  return { workspace, call: (method, path, body) => call(method, `/api/v1/workspaces/${workspace}${path}`, session.accessToken, body) };
}

test('connect the sandbox, compose, schedule, publish and watch the calendar live', async () => {
  const page = await app.browser.newPage();
  await signUp(app, page, user);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Accounts: a bad handle is refused with a clear message, a good one connects.
  await nav.getByRole('link', { name: 'Accounts' }).click();
  await page.getByLabel('Sandbox handle').fill('not a handle!');
  await page.getByRole('button', { name: 'Connect sandbox account' }).click();
  await page.getByText('use 1–50 letters, digits, dots, dashes or underscores').waitFor();
  await page.screenshot({ path: join(artifacts, 'accounts-error.png') });
  await page.getByLabel('Sandbox handle').fill('ada');
  await page.getByRole('button', { name: 'Connect sandbox account' }).click();
  await page.getByText('@ada').waitFor();
  await page.screenshot({ path: join(artifacts, 'accounts.png'), fullPage: true });

  // Compose: publishing with no account chosen is refused, field by field.
  await nav.getByRole('link', { name: 'Compose' }).click();
  await page.getByLabel('Post text').fill('Nobody to send this to');
  await page.getByRole('button', { name: 'Publish now' }).click();
  await page.getByRole('list', { name: 'What to fix' }).getByText('choose at least one connected account').waitFor();
  await page.screenshot({ path: join(artifacts, 'compose-error.png'), fullPage: true });

  // AI assist with no provider configured: the local engine rewrites, for free, and only when asked.
  await page.getByLabel('Post text').fill('In order to celebrate spring, we are able to offer a large number of discounts');
  await page.getByRole('button', { name: 'Shorten' }).click();
  const proposal = page.getByLabel('Proposed rewrite');
  await proposal.getByText('free (local engine)').waitFor();
  await page.screenshot({ path: join(artifacts, 'compose-ai.png'), fullPage: true });
  await proposal.getByRole('button', { name: 'Use this text' }).click();
  const shortened = await page.getByLabel('Post text').inputValue();
  assert.ok(shortened.length < 'In order to celebrate spring, we are able to offer a large number of discounts'.length && !shortened.includes('In order to'), shortened);

  // A post scheduled for tomorrow at 09:00 in the browser's zone, with the live counter.
  await page.getByRole('checkbox', { name: /Sandbox @ada/ }).check();

  // Write it for me: variations from a brief for the chosen network, by the local engine.
  await page.getByRole('button', { name: 'Write it for me' }).click();
  await page.getByLabel('What is the post about?').fill('our spring sale');
  await page.getByRole('button', { name: 'Draft variations' }).click();
  const drafted = page.getByLabel('Drafted variations');
  await drafted.getByText('free (local engine)').waitFor();
  await page.screenshot({ path: join(artifacts, 'compose-ai-generate.png'), fullPage: true });
  await drafted.getByRole('button', { name: 'Use variation 1 for sandbox' }).click();
  assert.ok((await page.getByLabel('Post text').inputValue()).toLowerCase().includes('spring sale'), 'the chosen draft is in the composer');
  await page.getByLabel('Post text').fill('Our spring sale starts tomorrow morning');
  await page.getByLabel(/^\d+ of \d+ characters$/).waitFor();
  await page.getByRole('figure', { name: /Preview on Sandbox/ }).getByText('Our spring sale starts tomorrow morning').waitFor();
  const tomorrow = new Date(Date.now() + 86_400_000);
  const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await page.getByLabel('Date and time').fill(`${day}T09:00`);
  await page.screenshot({ path: join(artifacts, 'compose.png'), fullPage: true });
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await page.getByText(/^Scheduled for /).waitFor();

  // And one published now.
  await page.getByLabel('Post text').fill('Doors are open: come and see');
  await page.getByRole('button', { name: 'Publish now' }).click();
  await page.getByText('Publishing now. Watch it on the calendar.').waitFor();

  // The calendar shows both, with their status; it is live over the WebSocket.
  await nav.getByRole('link', { name: 'Calendar' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const chip = (text) => page.locator('.chip').filter({ hasText: text });
  await chip('Our spring sale').getByText('scheduled').waitFor();
  await chip('Doors are open').getByText('published').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(artifacts, 'calendar.png'), fullPage: true });

  // Published from another session: the open calendar shows it without a reload.
  const other = await apiSession();
  const [account] = await other.call('GET', '/accounts');
  const post = await other.call('POST', '/posts', { content: { text: 'Sent from the API' }, targets: [{ accountId: account.id }] });
  await other.call('POST', `/posts/${post.id}/publish`, {});
  await chip('Sent from the API').getByText('published').waitFor({ timeout: 15_000 });
  await page.getByRole('combobox', { name: 'View' }).selectOption('list');
  await page.getByRole('list', { name: 'Posts' }).getByText('Sent from the API').waitFor();
  await page.screenshot({ path: join(artifacts, 'calendar-list.png'), fullPage: true });

  // Queue: a weekly slot, then "Add to queue" fills it.
  await nav.getByRole('link', { name: 'Queue' }).click();
  await page.getByRole('heading', { name: 'Up next' }).waitFor();
  await page.getByText('Our spring sale starts tomorrow morning').waitFor();
  await page.getByRole('button', { name: 'Add a slot' }).click();
  await page.getByLabel('Time', { exact: true }).fill('07:15');
  await page.getByRole('button', { name: 'Save slots' }).click();
  await page.getByText('Saved.').waitFor();
  await page.screenshot({ path: join(artifacts, 'queue.png'), fullPage: true });
  await nav.getByRole('link', { name: 'Compose' }).click();
  await page.getByRole('checkbox', { name: /Sandbox @ada/ }).check();
  await page.getByLabel('Post text').fill('Queued for the next free slot');
  await page.getByLabel(/^\d+ of \d+ characters$/).waitFor();
  await page.getByRole('button', { name: 'Add to queue' }).click();
  await page.getByText(/^Scheduled for .* at 7:15/).waitFor();

  // Notifications: the published posts told their author.
  await nav.getByRole('link', { name: 'Notifications' }).click();
  const unread = page.getByRole('button', { name: /Mark as read/ });
  await unread.first().waitFor();
  const before = await unread.count();
  assert.ok(before >= 2, `a notification per published post, got ${before}`);
  await page.screenshot({ path: join(artifacts, 'notifications.png'), fullPage: true });
  await unread.first().click();
  await page.waitForFunction((n) => document.querySelectorAll('.notifications li.unread').length === n - 1, before);

  // The approval queue, empty until agents or authors submit drafts.
  await nav.getByRole('link', { name: 'Approvals' }).click();
  await page.getByText('Nothing is waiting for approval.').waitFor();
  await page.screenshot({ path: join(artifacts, 'approvals.png'), fullPage: true });

  // The unified inbox: empty, and saying why, while only the sandbox is connected.
  await nav.getByRole('link', { name: 'Inbox' }).click();
  await page.getByText(/The sandbox network has no/).waitFor();
  await page.screenshot({ path: join(artifacts, 'inbox.png'), fullPage: true });

  // An API key made on the workspace page works against the API, within its scope.
  await nav.getByRole('link', { name: 'Workspace' }).click();
  await page.getByLabel('Key name').fill('Reporting script');
  await page.getByRole('checkbox', { name: 'post:read', exact: true }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = await page.locator('.alert-info code').textContent();
  await page.getByRole('region', { name: 'API keys' }).getByRole('cell', { name: /^Reporting script zk_/ }).waitFor();
  await page.screenshot({ path: join(artifacts, 'workspace-keys.png'), fullPage: true });
  const withKey = (method, path) => fetch(`${app.base}/api/v1/workspaces/${other.workspace}${path}`, { method, headers: { Authorization: `Bearer ${secret}` } });
  const listed = await withKey('GET', '/posts');
  assert.equal(listed.status, 200);
  assert.ok((await listed.json()).length >= 3);
  assert.equal((await withKey('DELETE', `/posts/${post.id}`)).status, 403, 'post:delete is outside the scopes of the key');

  // Media: a real image uploads with its progress bar and takes alt text; a text file renamed
  // .png is refused for what its bytes are.
  const files = mkdtempSync(join(tmpdir(), 'zenalto-e2e-files-'));
  const png = join(files, 'dot.png');
  writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
  const fake = join(files, 'notes.png');
  writeFileSync(fake, 'just some text pretending to be a picture');
  await nav.getByRole('link', { name: 'Media' }).click();
  await page.getByLabel('Upload images, GIFs or videos').setInputFiles([png, fake]);
  const uploads = page.getByRole('list', { name: 'Uploads' });
  await uploads.getByText('uploaded').waitFor();
  await uploads.locator('.field-error').waitFor();
  const assets = page.getByRole('list', { name: 'Assets' });
  await assets.getByText('dot.png', { exact: true }).waitFor();
  await assets.locator('img').waitFor();
  assert.ok(await assets.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the thumbnail loads through its signed URL');
  await page.getByRole('textbox', { name: 'Alt text for dot.png' }).fill('A single dot');
  await page.getByRole('button', { name: 'Save alt text for dot.png' }).click();
  await assets.getByText('Saved.').waitFor();
  await page.screenshot({ path: join(artifacts, 'media.png'), fullPage: true });
  assert.equal(await assets.getByText('notes.png', { exact: true }).count(), 0, 'the disguised file is not in the library');

  // Dark theme, and the calendar at phone width.
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await nav.getByRole('link', { name: 'Calendar' }).click();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('combobox', { name: 'View' }).selectOption('day');
  await page.screenshot({ path: join(artifacts, 'calendar-dark-phone.png'), fullPage: true });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
});
