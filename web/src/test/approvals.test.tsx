import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueueEntry } from '../api/approvals';
import { localZone, type Account, type Post } from '../api/publishing';
import { ApprovalsPage } from '../pages/approvals/ApprovalsPage';
import { formatIn } from '../pages/approvals/ApprovalCard';
import { bodyOf, envelope, headerOf, json, routedFetch, type Route } from './helpers';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const account = (id: string, network: string, label: string, handle: string): Account => ({
  id,
  network,
  networkLabel: label,
  sandbox: network === 'sandbox',
  handle,
  displayName: handle,
  createdAt: '2026-11-30T00:00:00Z',
  health: 'active',
  scopes: [],
});

const accounts = [account('a1', 'sandbox', 'Sandbox', 'bakery'), account('a2', 'bluesky', 'Bluesky', 'festival')];

const post = (over: Partial<Post> & { text: string }): Post => {
  const { text, ...rest } = over;
  return {
    id: 'p1',
    status: 'pending_approval',
    content: { text, mediaIds: [] } as unknown as Post['content'],
    targets: [{ id: 't1', accountId: 'a1', network: 'sandbox', status: 'pending_approval' }],
    tags: ['agents'],
    campaign: null,
    notes: 'agents run r1',
    version: 3,
    createdAt: '2026-11-30T00:00:00Z',
    updatedAt: '2026-11-30T00:00:00Z',
    ...rest,
  };
};

const proposedAt = '2026-12-08T17:00:00Z';

const agentsDraft: QueueEntry = {
  post: post({ id: 'p1', text: 'Fresh sourdough every Tuesday, warm from 7.', scheduledAt: proposedAt, timeZone: 'UTC' }),
  trail: [
    {
      decision: 'submitted',
      reason: null,
      runId: 'r1',
      actorType: 'system',
      actorId: 'agents.autofill',
      at: '2026-11-30T00:00:00Z',
      reasoning: {
        theme: 'sourdough',
        angle: 'promotional',
        strategy: 'sales goals: promotional first',
        content: { engine: 'local', quality: 82, pickedBecause: 'at the planned angle and closest to the brand voice' },
        review: { passesValidation: true, voiceScore: 88, voiceFindings: [], flags: [{ rule: 'absolute_claim', matched: 'guaranteed', message: 'An absolute claim: "guaranteed"' }] },
        slot: { at: proposedAt, localTime: '2026-12-08T17:00', why: 'Tuesday 17:00 scores 2.1× the account average' },
      },
    },
  ],
};

const personsDraft: QueueEntry = {
  post: post({ id: 'p2', text: 'Line-up announcement tonight!', targets: [{ id: 't2', accountId: 'a2', network: 'bluesky', status: 'pending_approval' }] }),
  trail: [{ decision: 'submitted', reason: 'please check the names', actorType: 'user', actorId: 'u2', at: '2026-11-30T00:00:00Z' }],
};

const QUEUE = /\/api\/v1\/workspaces\/w1\/approvals(\?|$)/;
const APPROVE = (id: string) => new RegExp(`/api/v1/workspaces/w1/posts/${id}/approve$`);
const REJECT = (id: string) => new RegExp(`/api/v1/workspaces/w1/posts/${id}/reject$`);

function setup(extra: Route[] = [], queue: QueueEntry[] = [agentsDraft, personsDraft]) {
  const double = routedFetch([
    ...extra,
    { method: 'GET', url: /\/accounts$/, respond: () => json(200, accounts) },
    { method: 'GET', url: QUEUE, respond: (c) => json(200, c.path.includes('accountId=a2') ? [personsDraft] : queue) },
  ]);
  vi.stubGlobal('fetch', double.fetcher);
  return double;
}

const card = async (text: string) => (await screen.findByText(text)).closest('li') as HTMLElement;
const scheduled = (p: Post, at: string) => json(200, { post: { ...p, status: 'scheduled', scheduledAt: at }, timeAdjustment: { kind: 'none' }, warnings: [] });

describe('ApprovalsPage', () => {
  it('lists the posts awaiting approval with account, proposed time in the user zone and the agents reasoning, and filters by account', async () => {
    const { to } = setup();
    render(<ApprovalsPage workspace="w1" canPublish />);

    const first = await card('Fresh sourdough every Tuesday, warm from 7.');
    expect(within(first).getByText('Sandbox @bakery')).toBeInTheDocument();
    expect(within(first).getByText(formatIn(proposedAt, localZone()))).toBeInTheDocument();
    expect(within(first).getByText('written by the agents', { exact: false })).toBeInTheDocument();
    expect(within(first).getByText('sourdough')).toBeInTheDocument();
    expect(within(first).getByText('Tuesday 17:00 scores 2.1× the account average')).toBeInTheDocument();
    expect(within(first).getByText('An absolute claim: "guaranteed"')).toBeInTheDocument();
    expect(within(first).getByText('88/100')).toBeInTheDocument();

    const second = await card('Line-up announcement tonight!');
    expect(within(second).getByText('Bluesky @festival')).toBeInTheDocument();
    expect(within(second).getByText(/No proposed time/)).toBeInTheDocument();
    expect(within(second).getByText('Note: please check the names')).toBeInTheDocument();

    await screen.findByRole('option', { name: 'Bluesky @festival' });
    fireEvent.change(screen.getByLabelText('Account'), { target: { value: 'a2' } });
    await waitFor(() => expect(screen.queryByText('Fresh sourdough every Tuesday, warm from 7.')).toBeNull());
    expect(screen.getByText('Line-up announcement tonight!')).toBeInTheDocument();
    expect(to('GET', QUEUE).at(-1)?.path).toBe('/api/v1/workspaces/w1/approvals?accountId=a2');
  });

  it('approves at the proposed time by calling the approve endpoint without a body time', async () => {
    const { to } = setup([{ method: 'POST', url: APPROVE('p1'), respond: () => scheduled(agentsDraft.post, proposedAt) }]);
    render(<ApprovalsPage workspace="w1" canPublish />);
    const first = await card('Fresh sourdough every Tuesday, warm from 7.');
    fireEvent.click(within(first).getByRole('button', { name: 'Approve' }));

    expect(await screen.findByText(`Approved: scheduled for ${formatIn(proposedAt, localZone())}.`)).toBeInTheDocument();
    const [call] = to('POST', APPROVE('p1'));
    expect(call.path).toBe('/api/v1/workspaces/w1/posts/p1/approve');
    expect(bodyOf(call)).toEqual({});
    expect(screen.queryByText('Fresh sourdough every Tuesday, warm from 7.')).toBeNull();
  });

  it('asks for a time when the post has none, and sends it with the user zone', async () => {
    const { to } = setup([{ method: 'POST', url: APPROVE('p2'), respond: () => scheduled(personsDraft.post, '2026-12-10T18:30:00Z') }]);
    render(<ApprovalsPage workspace="w1" canPublish />);
    const second = await card('Line-up announcement tonight!');
    fireEvent.click(within(second).getByRole('button', { name: 'Approve…' }));
    const approveAt = within(second).getByRole('button', { name: 'Approve at this time' });
    expect(approveAt).toBeDisabled();
    fireEvent.change(within(second).getByLabelText(/When to publish/), { target: { value: '2026-12-10T18:30' } });
    fireEvent.click(approveAt);

    await screen.findByText(/Approved: scheduled for/);
    expect(bodyOf(to('POST', APPROVE('p2'))[0])).toEqual({ schedule: { localTime: '2026-12-10T18:30', timeZone: localZone() } });
  });

  it('edits then approves with the whole post and the version read in If-Match', async () => {
    const { to } = setup([{ method: 'POST', url: APPROVE('p1'), respond: () => scheduled(agentsDraft.post, proposedAt) }]);
    render(<ApprovalsPage workspace="w1" canPublish />);
    const first = await card('Fresh sourdough every Tuesday, warm from 7.');
    fireEvent.click(within(first).getByRole('button', { name: 'Edit then approve' }));
    fireEvent.change(within(first).getByLabelText('Post text'), { target: { value: 'Fresh sourdough every Tuesday from 7.' } });
    fireEvent.click(within(first).getByRole('button', { name: 'Save and approve' }));

    await screen.findByText(/Approved: scheduled for/);
    const [call] = to('POST', APPROVE('p1'));
    expect(headerOf(call, 'If-Match')).toBe('"3"');
    expect(bodyOf(call)).toEqual({
      edit: {
        content: { text: 'Fresh sourdough every Tuesday from 7.', mediaIds: [] },
        targets: [{ accountId: 'a1', overrides: null }],
        campaign: null,
        tags: ['agents'],
        notes: 'agents run r1',
      },
    });
  });

  it('after a stale edit (409) shows the latest text, and approves with the new version once the editor chooses', async () => {
    let reads = 0;
    const moved = { ...agentsDraft, post: { ...agentsDraft.post, version: 4, content: { text: 'Fresh sourdough on Tuesdays from 7.' } as unknown as Post['content'] } };
    const double = routedFetch([
      {
        method: 'POST',
        url: APPROVE('p1'),
        respond: (c) => (headerOf(c, 'If-Match') === '"3"' ? envelope(409, 'CONFLICT', 'The post was changed by someone else; reload it.') : scheduled(moved.post, proposedAt)),
      },
      { method: 'GET', url: /\/accounts$/, respond: () => json(200, accounts) },
      { method: 'GET', url: QUEUE, respond: () => json(200, reads++ === 0 ? [agentsDraft] : [moved]) },
    ]);
    vi.stubGlobal('fetch', double.fetcher);
    render(<ApprovalsPage workspace="w1" canPublish />);
    const first = await card('Fresh sourdough every Tuesday, warm from 7.');
    fireEvent.click(within(first).getByRole('button', { name: 'Edit then approve' }));
    fireEvent.change(within(first).getByLabelText('Post text'), { target: { value: 'My edit' } });
    fireEvent.click(within(first).getByRole('button', { name: 'Save and approve' }));

    expect(await within(first).findByRole('alert')).toHaveTextContent('The post was changed by someone else; reload it.');
    expect(await within(first).findByText('Someone changed this post while you were editing. The latest text:')).toBeInTheDocument();
    expect(within(first).getByText('Fresh sourdough on Tuesdays from 7.')).toBeInTheDocument();
    expect(within(first).getByLabelText('Post text')).toHaveValue('My edit');
    fireEvent.click(within(first).getByRole('button', { name: 'Keep my edit' }));
    fireEvent.click(within(first).getByRole('button', { name: 'Save and approve' }));

    await screen.findByText(/Approved: scheduled for/);
    const last = double.to('POST', APPROVE('p1')).at(-1)!;
    expect(headerOf(last, 'If-Match')).toBe('"4"');
    expect((bodyOf(last) as { edit: { content: { text: string } } }).edit.content.text).toBe('My edit');
  });

  it('says so when a post was decided by someone else meanwhile (409) and leaves the queue', async () => {
    let reads = 0;
    const double = routedFetch([
      { method: 'POST', url: APPROVE('p1'), respond: () => envelope(409, 'CONFLICT', 'only a post awaiting approval can be approved or rejected; this one is scheduled') },
      { method: 'GET', url: /\/accounts$/, respond: () => json(200, accounts) },
      { method: 'GET', url: QUEUE, respond: () => json(200, reads++ === 0 ? [agentsDraft, personsDraft] : [personsDraft]) },
    ]);
    vi.stubGlobal('fetch', double.fetcher);
    render(<ApprovalsPage workspace="w1" canPublish />);
    const first = await card('Fresh sourdough every Tuesday, warm from 7.');
    fireEvent.click(within(first).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('only a post awaiting approval can be approved or rejected; this one is scheduled. It has left the queue.')).toBeInTheDocument();
    expect(screen.queryByText('Fresh sourdough every Tuesday, warm from 7.')).toBeNull();
    expect(screen.getByText('Line-up announcement tonight!')).toBeInTheDocument();
  });

  it('requires a reason before rejecting, then sends it', async () => {
    const { to } = setup([{ method: 'POST', url: REJECT('p1'), respond: () => json(200, { ...agentsDraft.post, status: 'draft', scheduledAt: null }) }]);
    render(<ApprovalsPage workspace="w1" canPublish />);
    const first = await card('Fresh sourdough every Tuesday, warm from 7.');
    fireEvent.click(within(first).getByRole('button', { name: 'Reject…' }));
    fireEvent.click(within(first).getByRole('button', { name: 'Reject' }));

    expect(within(first).getByRole('alert')).toHaveTextContent('Say why you reject it');
    expect(within(first).getByLabelText(/Why reject it/)).toHaveAttribute('aria-invalid', 'true');
    expect(to('POST', REJECT('p1'))).toHaveLength(0);

    fireEvent.change(within(first).getByLabelText(/Why reject it/), { target: { value: ' Too pushy; no guarantees please. ' } });
    fireEvent.click(within(first).getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('Rejected: the post is back in drafts with your reason.')).toBeInTheDocument();
    expect(bodyOf(to('POST', REJECT('p1'))[0])).toEqual({ reason: 'Too pushy; no guarantees please.' });
  });

  it('shows the API message when the member may not approve (403)', async () => {
    setup([{ method: 'POST', url: APPROVE('p1'), respond: () => envelope(403, 'FORBIDDEN', 'You need the post:publish permission to approve posts.') }]);
    render(<ApprovalsPage workspace="w1" canPublish />);
    const first = await card('Fresh sourdough every Tuesday, warm from 7.');
    fireEvent.click(within(first).getByRole('button', { name: 'Approve' }));
    expect(await within(first).findByRole('alert')).toHaveTextContent('You need the post:publish permission to approve posts.');
    expect(screen.getByText('Fresh sourdough every Tuesday, warm from 7.')).toBeInTheDocument();
  });

  it('explains and hides the decisions for members without post:publish', async () => {
    setup();
    render(<ApprovalsPage workspace="w1" canPublish={false} />);
    await card('Fresh sourdough every Tuesday, warm from 7.');
    expect(screen.getByText(/approving and rejecting posts needs the post:publish permission/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Approve|Reject/ })).toBeNull();
  });

  it('says when nothing is waiting', async () => {
    setup([], []);
    render(<ApprovalsPage workspace="w1" canPublish />);
    expect(await screen.findByText('Nothing is waiting for approval.')).toBeInTheDocument();
  });
});
