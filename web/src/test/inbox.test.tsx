import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { inbox, type Conversation, type Message } from '../api/inbox';
import { publishing, type Account } from '../api/publishing';
import { InboxPage } from '../pages/inbox/InboxPage';
import { json } from './helpers';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const account = (id: string, network: string, handle: string): Account => ({
  id,
  network,
  networkLabel: { sandbox: 'Sandbox', mastodon: 'Mastodon', bluesky: 'Bluesky' }[network] ?? network,
  sandbox: network === 'sandbox',
  handle,
  displayName: handle,
  createdAt: '2026-11-30T00:00:00Z',
  health: 'active',
  scopes: [],
});

const conversation = (id: string, handle: string, over: Partial<Conversation> = {}): Conversation => ({
  id,
  accountId: 'a1',
  network: 'mastodon',
  handle,
  kind: 'comments',
  platformThreadId: `t-${id}`,
  lastMessageAt: '2026-12-01T05:00:00Z',
  unread: 0,
  createdAt: '2026-12-01T04:00:00Z',
  ...over,
});

const message = (id: string, author: string, text: string, over: Partial<Message> = {}): Message => ({
  id,
  platformId: `p-${id}`,
  kind: 'comment',
  authorId: author,
  author,
  text,
  outgoing: false,
  at: '2026-12-01T05:00:00Z',
  ...over,
});

function setup(items: Conversation[], accounts: Account[] = [account('a1', 'mastodon', 'zenalto')]) {
  const list = vi.spyOn(inbox, 'conversations').mockResolvedValue({ items });
  vi.spyOn(publishing, 'accounts').mockResolvedValue(accounts);
  return list;
}

describe('InboxPage', () => {
  it('explains the empty inbox: the sandbox has none, real networks fill it once connected', async () => {
    setup([], [account('s1', 'sandbox', 'demo')]);
    render(<InboxPage workspace="w1" canReply />);
    expect(await screen.findByText('No conversations yet.')).toBeInTheDocument();
    expect(screen.getByText(/The sandbox network has no inbox/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Connect an account' })).toHaveAttribute('href', '/accounts');
    expect(screen.queryByRole('button', { name: /Sync/ })).not.toBeInTheDocument();
  });

  it('lists conversations, filters by kind and unread, opens one and marks it read', async () => {
    const list = setup([conversation('c1', '@ada@example.social', { unread: 2 }), conversation('c2', '@bob', { kind: 'direct' })]);
    vi.spyOn(inbox, 'messages').mockResolvedValue({
      conversation: conversation('c1', '@ada@example.social', { unread: 2 }),
      messages: [message('m1', 'ada', 'Love this launch!'), message('m2', 'zenalto', 'Thank you!', { outgoing: true, sentBy: 'Grace', kind: 'reply' })],
    });
    const read = vi.spyOn(inbox, 'markRead').mockResolvedValue(conversation('c1', '@ada@example.social', { unread: 0 }));
    render(<InboxPage workspace="w1" canReply />);
    const conversations = await screen.findByRole('list', { name: 'Conversations' });
    expect(within(conversations).getByLabelText('2 unread')).toBeInTheDocument();
    expect(within(conversations).getByText(/Direct messages/)).toBeInTheDocument();

    fireEvent.click(within(conversations).getByRole('button', { name: /@ada@example\.social/ }));
    const view = await screen.findByRole('region', { name: 'Conversation with @ada@example.social' });
    const messages = await within(view).findByRole('list', { name: 'Messages' });
    expect(within(messages).getByText('Love this launch!')).toBeInTheDocument();
    expect(within(messages).getByText(/sent by Grace/)).toBeInTheDocument();
    expect(inbox.messages).toHaveBeenCalledWith('w1', 'c1');

    fireEvent.click(within(view).getByRole('button', { name: 'Mark read' }));
    await vi.waitFor(() => expect(read).toHaveBeenCalledWith('w1', 'c1'));
    await vi.waitFor(() => expect(within(conversations).queryByLabelText('2 unread')).not.toBeInTheDocument());
    expect(within(view).queryByRole('button', { name: 'Mark read' })).not.toBeInTheDocument();

    fireEvent.change(screen.getByRole('combobox', { name: 'Show' }), { target: { value: 'direct' } });
    await vi.waitFor(() => expect(list).toHaveBeenLastCalledWith('w1', expect.objectContaining({ kind: 'direct', unread: false })));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Unread only' }));
    await vi.waitFor(() => expect(list).toHaveBeenLastCalledWith('w1', expect.objectContaining({ kind: 'direct', unread: true })));
  });

  it('replies to a chosen message and shows the network refusing a reply', async () => {
    setup([conversation('c1', '@ada')]);
    vi.spyOn(inbox, 'messages').mockResolvedValue({
      conversation: conversation('c1', '@ada'),
      messages: [message('m1', 'ada', 'First question'), message('m2', 'ada', 'Second question')],
    });
    const reply = vi
      .spyOn(inbox, 'reply')
      .mockRejectedValueOnce(new ApiError(502, 'NETWORK_ERROR', 'mastodon refused the reply: the status was deleted', null, 'r1'))
      .mockResolvedValueOnce(message('m3', 'zenalto', 'Here is the answer', { outgoing: true, sentBy: 'Ada' }));
    render(<InboxPage workspace="w1" canReply />);
    fireEvent.click(await screen.findByRole('button', { name: /@ada/ }));
    const view = await screen.findByRole('region', { name: 'Conversation with @ada' });
    fireEvent.click(await within(view).findByRole('button', { name: 'Reply to ada: First question' }));
    expect(within(view).getByText(/Replying to ada/)).toBeInTheDocument();
    fireEvent.change(within(view).getByLabelText('Your reply'), { target: { value: 'Here is the answer' } });
    fireEvent.click(within(view).getByRole('button', { name: 'Send reply' }));
    expect(await within(view).findByRole('alert')).toHaveTextContent('mastodon refused the reply: the status was deleted');
    expect(reply).toHaveBeenCalledWith('w1', 'c1', 'Here is the answer', 'm1');
    expect(within(view).getByLabelText('Your reply')).toHaveValue('Here is the answer');

    fireEvent.click(within(view).getByRole('button', { name: 'Send reply' }));
    expect(await within(view).findByText('Here is the answer', { selector: 'p' })).toBeInTheDocument();
    expect(within(view).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(view).getByLabelText('Your reply')).toHaveValue('');
  });

  it('shows a reply too long for the network under the text', async () => {
    setup([conversation('c1', '@ada')]);
    vi.spyOn(inbox, 'messages').mockResolvedValue({ conversation: conversation('c1', '@ada'), messages: [message('m1', 'ada', 'Hi')] });
    vi.spyOn(inbox, 'reply').mockRejectedValue(new ApiError(422, 'VALIDATION_ERROR', 'the reply is not valid', { text: 'at most 500 characters on mastodon' }, 'r'));
    render(<InboxPage workspace="w1" canReply />);
    fireEvent.click(await screen.findByRole('button', { name: /@ada/ }));
    const view = await screen.findByRole('region', { name: 'Conversation with @ada' });
    fireEvent.change(await within(view).findByLabelText('Your reply'), { target: { value: 'x'.repeat(600) } });
    fireEvent.click(within(view).getByRole('button', { name: 'Send reply' }));
    expect(await within(view).findByText('at most 500 characters on mastodon')).toHaveClass('field-error');
    expect(within(view).getByLabelText('Your reply')).toHaveAttribute('aria-invalid', 'true');
  });

  it('syncs an account now, reloads, and shows a network failure', async () => {
    const list = setup([], [account('a1', 'mastodon', 'zenalto'), account('a2', 'bluesky', 'zen.bsky'), account('s1', 'sandbox', 'demo')]);
    const sync = vi
      .spyOn(inbox, 'sync')
      .mockResolvedValueOnce({ newItems: 3 })
      .mockRejectedValueOnce(new ApiError(502, 'NETWORK_ERROR', 'bluesky is unavailable; try again later', null, 'r'));
    render(<InboxPage workspace="w1" canReply />);
    const panel = await screen.findByRole('region', { name: 'Sync accounts' });
    expect(within(panel).queryByText(/demo/)).not.toBeInTheDocument();
    fireEvent.click(within(panel).getByRole('button', { name: 'Sync Mastodon @zenalto now' }));
    expect(await within(panel).findByText('3 new items.')).toBeInTheDocument();
    expect(sync).toHaveBeenCalledWith('w1', 'a1');
    expect(list).toHaveBeenCalledTimes(2);
    fireEvent.click(within(panel).getByRole('button', { name: 'Sync Bluesky @zen.bsky now' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent('bluesky is unavailable; try again later');

    const accountFilter = screen.getByRole('combobox', { name: 'Account' });
    expect(within(accountFilter).queryByText(/demo/)).not.toBeInTheDocument();
    fireEvent.change(accountFilter, { target: { value: 'a2' } });
    await vi.waitFor(() => expect(list).toHaveBeenLastCalledWith('w1', expect.objectContaining({ accountId: 'a2' })));
    expect(await screen.findByText('No conversations match.')).toBeInTheDocument();
  });

  it('shows a failed load as a readable message', async () => {
    vi.spyOn(inbox, 'conversations').mockRejectedValue(new ApiError(403, 'FORBIDDEN', 'you need post:read in this workspace', null, 'r'));
    vi.spyOn(publishing, 'accounts').mockResolvedValue([]);
    render(<InboxPage workspace="w1" canReply={false} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('you need post:read in this workspace');
  });
});

describe('inbox API', () => {
  it('calls the documented endpoints', async () => {
    const calls: { path: string; method: string; body?: string }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string, init: RequestInit) => {
        calls.push({ path, method: init.method ?? 'GET', body: init.body as string | undefined });
        return json(200, {});
      }),
    );
    await inbox.conversations('w1', { kind: 'direct', unread: true, accountId: 'a1' });
    await inbox.messages('w1', 'c1');
    await inbox.markRead('w1', 'c1');
    await inbox.reply('w1', 'c1', 'Thanks!');
    await inbox.sync('w1', 'a1');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/v1/workspaces/w1/inbox/conversations?accountId=a1&kind=direct&unread=true',
      'GET /api/v1/workspaces/w1/inbox/conversations/c1/messages',
      'POST /api/v1/workspaces/w1/inbox/conversations/c1/read',
      'POST /api/v1/workspaces/w1/inbox/conversations/c1/reply',
      'POST /api/v1/workspaces/w1/accounts/a1/inbox/sync',
    ]);
    expect(JSON.parse(calls[3].body!)).toEqual({ text: 'Thanks!', messageId: null });
  });
});
