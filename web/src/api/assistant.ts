// The assistant: conversations, streamed replies (Server-Sent Events) and confirmation cards.

import { api } from './client';

export interface Conversation {
  id: string;
  title: string;
  timeZone: string;
  createdAt: string;
  updatedAt: string;
}

export interface Card {
  actionId: string;
  tool: string;
  /** Exactly what will happen: the post, its accounts and the time in the person's zone. */
  summary: string;
  status: 'proposed' | 'running' | 'done' | 'failed' | 'cancelled' | 'expired';
  args: Record<string, unknown>;
  expiresAt: string;
  result?: string | null;
  error?: string | null;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant' | 'tool' | 'card';
  content: string;
  data?: { card?: Card; tool?: string; data?: unknown } | null;
  createdAt: string;
}

export type ReplyEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_result'; id: string; name: string; ok: boolean; summary: string; data: unknown }
  | { type: 'card'; card: Card }
  | { type: 'done'; messageId: string; engine: string }
  | { type: 'error'; message: string };

const base = (ws: string) => `/api/v1/workspaces/${ws}/assistant`;

export const assistant = {
  list: (ws: string) => api.get<{ items: Conversation[] }>(`${base(ws)}/conversations`),
  create: (ws: string, timeZone: string) => api.post<Conversation>(`${base(ws)}/conversations`, { timeZone }),
  get: (ws: string, id: string) => api.get<Conversation & { messages: StoredMessage[] }>(`${base(ws)}/conversations/${id}`),
  send: (ws: string, id: string, text: string, onEvent: (e: ReplyEvent) => void) =>
    api.stream(`${base(ws)}/conversations/${id}/messages`, { text }, (e) => onEvent(e as ReplyEvent)),
  confirm: (ws: string, actionId: string) => api.post<Card>(`${base(ws)}/actions/${actionId}/confirm`, {}),
  cancel: (ws: string, actionId: string) => api.post<Card>(`${base(ws)}/actions/${actionId}/cancel`, {}),
};

/** The browser's IANA zone, which the assistant reads "tomorrow at 9am" in. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
