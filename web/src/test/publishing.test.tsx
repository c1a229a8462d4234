import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { publishing, type Account, type Post, type TargetPreview } from '../api/publishing';
import { CalendarPage } from '../pages/publishing/calendar/CalendarPage';
import { dayKey } from '../pages/publishing/calendar/dates';
import { Composer } from '../pages/publishing/Composer';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const account = (id: string, network: string, handle: string): Account => ({
  id,
  network,
  networkLabel: network === 'x' ? 'X' : 'Sandbox',
  sandbox: network === 'sandbox',
  handle,
  displayName: handle,
  createdAt: '2026-11-30T00:00:00Z',
  health: 'active',
  scopes: [],
});

const preview = (accountId: string, network: string, handle: string, used: number, limit: number, issues: unknown[] = []): TargetPreview => ({
  accountId,
  network,
  handle,
  length: { used, limit, unit: 'characters' },
  publishable: !issues.some((i) => (i as { severity: string }).severity === 'error'),
  issues: issues as TargetPreview['issues'],
  parts: ['Hello'],
});

const post = (over: Partial<Post> = {}): Post => ({
  id: 'p1',
  status: 'scheduled',
  content: { text: 'Spring sale starts today' } as unknown as Post['content'],
  targets: [{ id: 't1', accountId: 'a1', network: 'sandbox', status: 'scheduled' }],
  tags: [],
  version: 1,
  createdAt: '2026-11-30T00:00:00Z',
  updatedAt: '2026-11-30T00:00:00Z',
  ...over,
});

describe('Composer', () => {
  it('counts per network, blocks scheduling on an error and schedules in the chosen zone', async () => {
    vi.spyOn(publishing, 'accounts').mockResolvedValue([account('a1', 'sandbox', 'demo'), account('a2', 'x', 'brand')]);
    const over = { severity: 'error', code: 'text_too_long', field: 'text', message: 'X allows 280 characters; this has 300' };
    const previews = vi
      .spyOn(publishing, 'preview')
      .mockResolvedValueOnce([preview('a1', 'sandbox', 'demo', 300, 5000), preview('a2', 'x', 'brand', 300, 280, [over])])
      .mockResolvedValue([preview('a1', 'sandbox', 'demo', 120, 5000), preview('a2', 'x', 'brand', 120, 280)]);
    const create = vi.spyOn(publishing, 'create').mockResolvedValue(post({ status: 'draft' }));
    const schedule = vi.spyOn(publishing, 'schedule').mockResolvedValue({ post: post({ scheduledAt: '2026-12-01T08:00:00Z' }), timeAdjustment: {}, warnings: [] });

    render(<Composer workspace="w1" />);
    fireEvent.click(await screen.findByRole('checkbox', { name: /Sandbox @demo/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /X @brand/ }));
    fireEvent.change(screen.getByLabelText('Post text'), { target: { value: 'a'.repeat(300) } });

    expect(await screen.findByLabelText('300 of 280 characters')).toHaveClass('counter-over');
    fireEvent.click(screen.getByRole('tab', { name: /x @brand/ }));
    expect(screen.getByRole('list', { name: 'Checks for @brand' })).toHaveTextContent('X allows 280 characters; this has 300');
    fireEvent.change(screen.getByLabelText('Date and time'), { target: { value: '2026-12-01T09:00' } });
    expect(screen.getByRole('button', { name: 'Schedule' })).toBeDisabled();

    fireEvent.change(screen.getByLabelText('Post text'), { target: { value: 'a'.repeat(120) } });
    await screen.findByLabelText('120 of 280 characters');
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Paris' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule' }));
    await screen.findByText(/Scheduled for .*Europe\/Paris/);
    expect(create).toHaveBeenCalledWith('w1', { content: { text: 'a'.repeat(120), mediaIds: [], firstComment: null }, targets: [{ accountId: 'a1', overrides: null }, { accountId: 'a2', overrides: null }] });
    expect(schedule).toHaveBeenCalledWith('w1', 'p1', { localTime: '2026-12-01T09:00', timeZone: 'Europe/Paris' });
    expect(previews.mock.calls.at(-1)?.[1].targets).toHaveLength(2);
  });

  it('shows what the server refused, field by field', async () => {
    vi.spyOn(publishing, 'accounts').mockResolvedValue([account('a1', 'sandbox', 'demo')]);
    vi.spyOn(publishing, 'preview').mockResolvedValue([preview('a1', 'sandbox', 'demo', 5, 5000)]);
    vi.spyOn(publishing, 'create').mockResolvedValue(post({ status: 'draft' }));
    vi.spyOn(publishing, 'schedule').mockRejectedValue(
      new ApiError(422, 'VALIDATION_ERROR', 'some fields are invalid', { nextFreeSlot: 'the first target account has no posting slots' }, 'req-1'),
    );
    render(<Composer workspace="w1" />);
    fireEvent.click(await screen.findByRole('checkbox', { name: /Sandbox @demo/ }));
    fireEvent.change(screen.getByLabelText('Post text'), { target: { value: 'Hello' } });
    await screen.findByLabelText('5 of 5000 characters');
    fireEvent.click(screen.getByRole('button', { name: 'Add to queue' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('some fields are invalid');
    expect(screen.getByRole('list', { name: 'What to fix' })).toHaveTextContent('the first target account has no posting slots');
  });
});

describe('CalendarPage', () => {
  it('puts each post on its day with its status, and filters by status', async () => {
    const today = new Date();
    today.setHours(10, 30, 0, 0);
    vi.spyOn(publishing, 'calendar').mockResolvedValue({
      timeZone: 'UTC',
      groupBy: 'day',
      truncated: false,
      groups: [{ key: dayKey(today), start: today.toISOString(), posts: [post({ scheduledAt: today.toISOString(), status: 'published' })] }],
    });
    vi.spyOn(publishing, 'ticket').mockRejectedValue(new Error('no WebSocket in this test'));
    render(<CalendarPage workspace="w1" />);
    const cell = await screen.findByRole('gridcell', { name: today.toDateString() });
    expect(await within(cell).findByText('Spring sale starts today')).toBeInTheDocument();
    expect(within(cell).getByText('published')).toHaveClass('badge-published');

    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'failed' } });
    expect(within(cell).queryByText('Spring sale starts today')).toBeNull();
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'View' }), { target: { value: 'list' } });
    expect(within(screen.getByRole('list', { name: 'Posts' })).getByText('Spring sale starts today')).toBeInTheDocument();
  });
});

describe('CalendarPage moves', () => {
  it('moves a scheduled post to another day at the same time, by drop or by keyboard', async () => {
    const today = new Date();
    today.setHours(10, 30, 0, 0);
    const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
    vi.spyOn(publishing, 'calendar').mockResolvedValue({
      timeZone: 'UTC',
      groupBy: 'day',
      truncated: false,
      groups: [{ key: dayKey(today), start: today.toISOString(), posts: [post({ scheduledAt: today.toISOString() })] }],
    });
    vi.spyOn(publishing, 'ticket').mockRejectedValue(new Error('no WebSocket in this test'));
    const schedule = vi.spyOn(publishing, 'schedule').mockResolvedValue({ post: post(), timeAdjustment: {}, warnings: [] });
    render(<CalendarPage workspace="w1" />);
    fireEvent.change(screen.getByRole('combobox', { name: 'View' }), { target: { value: 'week' } });
    const cell = await screen.findByRole('gridcell', { name: today.toDateString() });
    await within(cell).findByText('Spring sale starts today');

    fireEvent.click(within(cell).getByRole('button', { name: /Move/ }));
    fireEvent.change(within(cell).getByLabelText('New day (at 10:30)'), { target: { value: dayKey(tomorrow) } });
    fireEvent.click(within(cell).getByRole('button', { name: 'Move' }));
    await screen.findByText(/^Moved to /);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(schedule).toHaveBeenLastCalledWith('w1', 'p1', { localTime: `${dayKey(tomorrow)}T10:30`, timeZone: zone });

    const target = new Date(today.getFullYear(), today.getMonth(), today.getDate() + (today.getDay() === 0 ? -1 : 1));
    const drop = screen.getByRole('gridcell', { name: target.toDateString() });
    const dataTransfer = { types: ['application/x-zenalto-post'], getData: () => 'p1' };
    fireEvent.dragOver(drop, { dataTransfer });
    fireEvent.drop(drop, { dataTransfer });
    await vi.waitFor(() => expect(schedule).toHaveBeenLastCalledWith('w1', 'p1', { localTime: `${dayKey(target)}T10:30`, timeZone: zone }));
  });
});

describe('CalendarPage bulk actions', () => {
  it('unschedules the selected posts and says which ones could not be', async () => {
    const today = new Date();
    today.setHours(10, 30, 0, 0);
    vi.spyOn(publishing, 'calendar').mockResolvedValue({
      timeZone: 'UTC',
      groupBy: 'day',
      truncated: false,
      groups: [
        {
          key: dayKey(today),
          start: today.toISOString(),
          posts: [post({ scheduledAt: today.toISOString() }), post({ id: 'p2', scheduledAt: today.toISOString(), content: { text: 'Second one' } as unknown as Post['content'] })],
        },
      ],
    });
    vi.spyOn(publishing, 'ticket').mockRejectedValue(new Error('no WebSocket in this test'));
    const bulk = vi.spyOn(publishing, 'bulk').mockResolvedValue({
      results: [
        { postId: 'p1', ok: true },
        { postId: 'p2', ok: false, error: { code: 'CONFLICT', message: 'the post is being published right now' } },
      ],
    });
    render(<CalendarPage workspace="w1" />);
    fireEvent.change(screen.getByRole('combobox', { name: 'View' }), { target: { value: 'list' } });
    const toolbar = await screen.findByRole('toolbar', { name: 'Selected posts' });
    expect(within(toolbar).getByRole('button', { name: 'Unschedule selected' })).toBeDisabled();
    fireEvent.click(await screen.findByRole('checkbox', { name: /Select “Spring sale/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Select “Second one/ }));
    fireEvent.click(within(toolbar).getByRole('button', { name: 'Unschedule selected' }));
    expect(await screen.findByText(/Unscheduled 1 of 2\. Not done: the post is being published right now/)).toBeInTheDocument();
    expect(bulk).toHaveBeenCalledWith('w1', 'unschedule', ['p1', 'p2']);
  });
});

describe('AI assist', () => {
  it('proposes a rewrite with its cost and applies it only when asked; hashtags append to the text', async () => {
    const { ai } = await import('../api/ai');
    const { AiAssist } = await import('../pages/publishing/AiAssist');
    vi.spyOn(ai, 'rewrite').mockResolvedValue({ text: 'Spring sale: many discounts', changes: ['"a large number of" → "many"'], engine: 'openai', costMicros: 1200, fallback: null });
    vi.spyOn(ai, 'hashtags').mockResolvedValue({ suggestions: [{ tag: 'springsale', relevance: 0.9, usedInPosts: 4, source: 'workspace_history' }], historyPosts: 10 });
    const onText = vi.fn();
    render(<AiAssist workspace="w1" text="Spring sale with a large number of discounts" onText={onText} network="x" />);
    fireEvent.click(screen.getByRole('button', { name: 'Shorten' }));
    const proposal = await screen.findByLabelText('Proposed rewrite');
    expect(proposal).toHaveTextContent('$0.0012 (openai)');
    expect(onText).not.toHaveBeenCalled();
    fireEvent.click(within(proposal).getByRole('button', { name: 'Use this text' }));
    expect(onText).toHaveBeenLastCalledWith('Spring sale: many discounts');
    fireEvent.click(screen.getByRole('button', { name: 'Suggest hashtags' }));
    fireEvent.click(await screen.findByRole('button', { name: '#springsale' }));
    expect(onText).toHaveBeenLastCalledWith('Spring sale with a large number of discounts #springsale');
  });
});

describe('AI writing', () => {
  it('translates into the language asked and shows the cost before applying', async () => {
    const { ai } = await import('../api/ai');
    const { AiAssist } = await import('../pages/publishing/AiAssist');
    const translate = vi.spyOn(ai, 'translate').mockResolvedValue({ text: 'Frühlingsverkauf', language: 'German', engine: 'anthropic', costMicros: 800 });
    const onText = vi.fn();
    render(<AiAssist workspace="w1" text="Spring sale" onText={onText} network="x" />);
    expect(screen.getByRole('button', { name: 'Translate' })).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Translate into'), { target: { value: 'German' } });
    fireEvent.click(screen.getByRole('button', { name: 'Translate' }));
    const proposal = await screen.findByLabelText('Proposed rewrite');
    expect(translate).toHaveBeenCalledWith('w1', 'Spring sale', 'German');
    expect(proposal).toHaveTextContent('translated into German');
    expect(proposal).toHaveTextContent('$0.0008 (anthropic)');
    fireEvent.click(within(proposal).getByRole('button', { name: 'Use this text' }));
    expect(onText).toHaveBeenLastCalledWith('Frühlingsverkauf');
  });

  it('shows the API message when translation needs a provider', async () => {
    const { ai } = await import('../api/ai');
    const { AiAssist } = await import('../pages/publishing/AiAssist');
    vi.spyOn(ai, 'translate').mockRejectedValue(new ApiError(409, 'CONFLICT', 'translation needs an AI provider: the built-in engine cannot translate.', null, null));
    render(<AiAssist workspace="w1" text="Spring sale" onText={vi.fn()} network="x" />);
    fireEvent.change(screen.getByLabelText('Translate into'), { target: { value: 'fr' } });
    fireEvent.click(screen.getByRole('button', { name: 'Translate' }));
    expect(await screen.findByText(/translation needs an AI provider/)).toBeInTheDocument();
  });

  it('optimizes for the active network and lists suggestions with their expected effect', async () => {
    const { ai } = await import('../api/ai');
    const { AiAssist } = await import('../pages/publishing/AiAssist');
    const optimize = vi.spyOn(ai, 'optimize').mockResolvedValue({
      suggestions: [{ kind: 'question', what: 'End with a question', why: 'your posts with one get more replies', expectedEffect: { change: 0.18, source: 'workspace_model' } }],
      prediction: { expected: 42, low: 30, high: 55, confidenceLabel: 'medium', source: 'workspace_model', samples: 120, note: '' },
      historyPosts: 120,
    });
    render(<AiAssist workspace="w1" text="Spring sale" onText={vi.fn()} network="mastodon" />);
    fireEvent.click(screen.getByRole('button', { name: 'Optimize' }));
    const box = await screen.findByLabelText('Optimization');
    expect(optimize).toHaveBeenCalledWith('w1', 'Spring sale', 'mastodon');
    expect(box).toHaveTextContent('Predicted about 42 interactions (30–55), medium confidence, from 120 posts.');
    expect(box).toHaveTextContent('End with a question');
    expect(box).toHaveTextContent('+18 % expected');
  });

  it('drafts variations per chosen network from a brief and uses the one picked', async () => {
    const { ai } = await import('../api/ai');
    const { AiGenerate } = await import('../pages/publishing/AiGenerate');
    const generate = vi.spyOn(ai, 'generate').mockResolvedValue({
      engine: 'local',
      costMicros: 0,
      fallback: null,
      networks: [{ network: 'bluesky', variations: [{ fitted: { network: 'bluesky', text: 'Our spring sale starts Friday!', thread: [], report: { issues: [] } }, quality: 81, reasoning: ['fits in one post'] }] }],
    });
    const onText = vi.fn();
    render(<AiGenerate workspace="w1" networks={['bluesky']} onText={onText} />);
    fireEvent.click(screen.getByRole('button', { name: 'Write it for me' }));
    fireEvent.change(screen.getByLabelText('What is the post about?'), { target: { value: 'our spring sale' } });
    fireEvent.change(screen.getByLabelText(/Points to make/), { target: { value: 'starts Friday\n\n20 % off' } });
    fireEvent.click(screen.getByRole('button', { name: 'Draft variations' }));
    const drafted = await screen.findByLabelText('Drafted variations');
    expect(generate).toHaveBeenCalledWith('w1', 'our spring sale', ['starts Friday', '20 % off'], ['bluesky'], 3);
    expect(drafted).toHaveTextContent('free (local engine)');
    expect(drafted).toHaveTextContent('Quality 81/100');
    fireEvent.click(within(drafted).getByRole('button', { name: 'Use variation 1 for bluesky' }));
    expect(onText).toHaveBeenCalledWith('Our spring sale starts Friday!');
  });
});
