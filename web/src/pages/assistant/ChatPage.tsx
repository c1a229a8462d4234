// Chat with the assistant: conversations, replies streamed as they are written, tool results as
// post previews, and confirmation cards that do nothing until confirmed here.

import { FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { Card, Conversation, ReplyEvent, StoredMessage, assistant, browserZone } from '../../api/assistant';

/** One line of the transcript. */
type Entry =
  | { kind: 'user' | 'assistant'; text: string }
  | { kind: 'tool'; name: string; ok: boolean; text: string; posts: PostLine[] }
  | { kind: 'card'; card: Card };

interface PostLine {
  postId: string;
  title: string;
  status: string;
  localTime?: string | null;
}

function postsOf(data: unknown): PostLine[] {
  const d = data as { posts?: PostLine[]; post?: PostLine } | null;
  if (Array.isArray(d?.posts)) return d.posts;
  return d?.post ? [d.post] : [];
}

function fromStored(m: StoredMessage): Entry {
  if (m.role === 'card' && m.data?.card) return { kind: 'card', card: m.data.card };
  if (m.role === 'tool') return { kind: 'tool', name: m.data?.tool ?? 'tool', ok: true, text: m.content, posts: postsOf(m.data?.data) };
  return { kind: m.role === 'user' ? 'user' : 'assistant', text: m.content };
}

/** The transcript after one streamed event. */
export function apply(entries: Entry[], event: ReplyEvent): Entry[] {
  const last = entries[entries.length - 1];
  switch (event.type) {
    case 'text':
      if (last?.kind === 'assistant') return [...entries.slice(0, -1), { ...last, text: last.text + event.delta }];
      return [...entries, { kind: 'assistant', text: event.delta }];
    case 'tool_result':
      return [...entries, { kind: 'tool', name: event.name, ok: event.ok, text: event.summary, posts: postsOf(event.data) }];
    case 'card':
      return [...entries, { kind: 'card', card: event.card }];
    case 'error':
      return [...entries, { kind: 'assistant', text: `(${event.message})` }];
    default:
      return entries;
  }
}

export function ChatPage({ workspace }: { workspace: string }) {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    assistant.list(workspace).then((r) => setConversations(r.items), () => setConversations([]));
  }, [workspace]);

  async function open(id: string) {
    setCurrent(id);
    const detail = await assistant.get(workspace, id);
    setEntries(detail.messages.filter((m) => m.role !== 'assistant' || m.content).map(fromStored));
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    const message = text.trim();
    if (!message || busy) return;
    setBusy(true);
    setError('');
    try {
      let id = current;
      if (!id) {
        const created = await assistant.create(workspace, browserZone());
        setConversations((c) => [created, ...c]);
        setCurrent(created.id);
        id = created.id;
      }
      setText('');
      setEntries((x) => [...x, { kind: 'user', text: message }]);
      await assistant.send(workspace, id, message, (event) => setEntries((x) => apply(x, event)));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The assistant could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  async function decide(card: Card, verb: 'confirm' | 'cancel') {
    try {
      const updated = await (verb === 'confirm' ? assistant.confirm(workspace, card.actionId) : assistant.cancel(workspace, card.actionId));
      setEntries((x) => x.map((e) => (e.kind === 'card' && e.card.actionId === card.actionId ? { kind: 'card', card: updated } : e)));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'That did not work.');
    }
  }

  return (
    <section className="panel chat" aria-label="Assistant">
      <aside aria-label="Conversations">
        <button
          className="secondary"
          onClick={() => {
            setCurrent(null);
            setEntries([]);
          }}
        >
          New conversation
        </button>
        <ul>
          {conversations.map((c) => (
            <li key={c.id}>
              <button className="link" aria-current={c.id === current ? 'true' : undefined} onClick={() => open(c.id)}>
                {c.title || 'New conversation'}
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <div className="transcript" aria-live="polite">
        {entries.map((e, i) =>
          e.kind === 'card' ? (
            <div key={i} className="card" role="group" aria-label="Confirmation">
              <p>{e.card.summary}</p>
              {e.card.status === 'proposed' ? (
                <>
                  <button onClick={() => decide(e.card, 'confirm')}>Confirm</button>
                  <button className="secondary" onClick={() => decide(e.card, 'cancel')}>
                    Cancel
                  </button>
                </>
              ) : (
                <p className="status">{e.card.error ?? e.card.result ?? e.card.status}</p>
              )}
            </div>
          ) : e.kind === 'tool' ? (
            <div key={i} className={e.ok ? 'tool' : 'tool error'}>
              <p className="pre">{e.text}</p>
              {e.posts.length > 0 && (
                <ul aria-label="Posts">
                  {e.posts.map((p) => (
                    <li key={p.postId}>
                      {p.title} — {p.localTime ?? p.status}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : (
            <p key={i} className={`bubble ${e.kind} pre`}>
              {e.text}
            </p>
          ),
        )}
      </div>
      <form onSubmit={send}>
        <label>
          Message
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="write three friendly posts about our spring sale for LinkedIn" />
        </label>
        <button type="submit" disabled={busy}>
          Send
        </button>
        {error && <p role="alert">{error}</p>}
      </form>
    </section>
  );
}
