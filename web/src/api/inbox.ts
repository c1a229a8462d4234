// The team inbox: conversations (a post's comments and mentions, or direct messages) fetched from
// the connected networks, their messages, marking read, replying, and syncing an account now.

import { api } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type ConversationMessages = Schemas['ConversationMessages'];
export type SyncResult = Schemas['SyncResult'];

export interface ConversationFilter {
  accountId?: string;
  kind?: string;
  unread?: boolean;
  cursor?: string;
}

const base = (ws: string) => `/api/v1/workspaces/${ws}/inbox/conversations`;

export const inbox = {
  conversations: (ws: string, filter: ConversationFilter = {}) => {
    const params = new URLSearchParams();
    if (filter.accountId) params.set('accountId', filter.accountId);
    if (filter.kind) params.set('kind', filter.kind);
    if (filter.unread) params.set('unread', 'true');
    if (filter.cursor) params.set('cursor', filter.cursor);
    const q = params.toString();
    return api.get<{ items: Conversation[]; nextCursor?: string | null }>(q ? `${base(ws)}?${q}` : base(ws));
  },
  messages: (ws: string, id: string) => api.get<ConversationMessages>(`${base(ws)}/${id}/messages`),
  markRead: (ws: string, id: string) => api.post<Conversation>(`${base(ws)}/${id}/read`),
  reply: (ws: string, id: string, text: string, messageId?: string | null) => api.post<Message>(`${base(ws)}/${id}/reply`, { text, messageId: messageId ?? null }),
  sync: (ws: string, accountId: string) => api.post<SyncResult>(`/api/v1/workspaces/${ws}/accounts/${accountId}/inbox/sync`),
};
