// The conversations, newest first: who, where, what kind, and how many are unread.

import type { Conversation } from '../../api/inbox';

export const kindLabel = (kind: string) => (kind === 'direct' ? 'Direct messages' : 'Comments and mentions');

export function ConversationList({ items, current, onOpen }: { items: Conversation[]; current: string | null; onOpen: (c: Conversation) => void }) {
  return (
    <ul className="conversations" aria-label="Conversations">
      {items.map((c) => (
        <li key={c.id}>
          <button type="button" className={`conversation${c.unread > 0 ? ' unread' : ''}`} aria-current={c.id === current ? 'true' : undefined} onClick={() => onOpen(c)}>
            <span className="conversation-head">
              <strong>{c.handle}</strong>
              {c.unread > 0 && (
                <span className="badge badge-scheduled" aria-label={`${c.unread} unread`}>
                  {c.unread}
                </span>
              )}
            </span>
            <span className="small">
              {c.network} · {kindLabel(c.kind)} · <time dateTime={c.lastMessageAt}>{new Date(c.lastMessageAt).toLocaleString()}</time>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
