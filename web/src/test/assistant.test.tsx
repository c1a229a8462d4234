import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Card, ReplyEvent, assistant } from '../api/assistant';
import { ApiClient } from '../api/client';
import { ChatPage, apply } from '../pages/assistant/ChatPage';
import { memoryStorage, scriptedFetch } from './helpers';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const card: Card = {
  actionId: 'a1',
  tool: 'schedule_post',
  summary: 'Schedule “Spring sale” for Wed 2 Dec 2026, 09:00 (Europe/Berlin), to @bakery (LinkedIn).',
  status: 'proposed',
  args: {},
  expiresAt: '2026-12-01T10:00:00.000Z',
};

describe('the assistant', () => {
  it('streams Server-Sent Events into callbacks, split across chunks', async () => {
    const sse = 'event: text\ndata: {"type":"text","delta":"Hel"}\n\nevent: text\ndata: {"type":"text","delta":"lo"}\n\nevent: done\ndata: {"type":"done","messageId":"m1","engine":"local"}\n\n';
    const body = new ReadableStream({
      start(controller) {
        const bytes = new TextEncoder().encode(sse);
        controller.enqueue(bytes.slice(0, 30));
        controller.enqueue(bytes.slice(30));
        controller.close();
      },
    });
    const { fetcher, calls } = scriptedFetch([new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })]);
    const events: unknown[] = [];
    await new ApiClient(fetcher, memoryStorage()).stream('/x', { text: 'hi' }, (e) => events.push(e));
    expect((calls[0].init.headers as Record<string, string>).Accept).toBe('text/event-stream');
    expect(events).toEqual([
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo' },
      { type: 'done', messageId: 'm1', engine: 'local' },
    ]);
  });

  it('joins text deltas into one reply and keeps tool results and cards in order', () => {
    const events: ReplyEvent[] = [
      { type: 'tool_result', id: 'c1', name: 'find_posts', ok: true, summary: '1 post', data: { posts: [{ postId: 'p1', title: '“Spring sale”', status: 'draft' }] } },
      { type: 'text', delta: 'Please ' },
      { type: 'text', delta: 'confirm' },
      { type: 'card', card },
    ];
    const entries = events.reduce(apply, []);
    expect(entries.map((e) => e.kind)).toEqual(['tool', 'assistant', 'card']);
    expect(entries[1]).toEqual({ kind: 'assistant', text: 'Please confirm' });
  });

  it('shows a card that does nothing until confirmed, then what happened', async () => {
    vi.spyOn(assistant, 'list').mockResolvedValue({ items: [] });
    vi.spyOn(assistant, 'create').mockResolvedValue({ id: 'c1', title: '', timeZone: 'Europe/Berlin', createdAt: '', updatedAt: '' });
    const send = vi.spyOn(assistant, 'send').mockImplementation(async (_ws, _id, _text, onEvent) => {
      onEvent({ type: 'text', delta: 'Please confirm.' });
      onEvent({ type: 'card', card });
      onEvent({ type: 'done', messageId: 'm1', engine: 'local' });
    });
    const confirm = vi.spyOn(assistant, 'confirm').mockResolvedValue({ ...card, status: 'done', result: 'Scheduled “Spring sale” for Wed 2 Dec 2026, 09:00 (Europe/Berlin).' });
    render(<ChatPage workspace="w1" />);

    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'schedule it tomorrow at 9am' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText(card.summary)).toBeInTheDocument();
    expect(send.mock.calls[0][2]).toBe('schedule it tomorrow at 9am');
    expect(confirm).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText(/^Scheduled “Spring sale”/)).toBeInTheDocument();
    expect(confirm).toHaveBeenCalledWith('w1', 'a1');
    expect(screen.queryByRole('button', { name: 'Confirm' })).not.toBeInTheDocument();
  });
});
