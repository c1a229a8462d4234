// The publishing part of the API: connected accounts, drafts and their per-network preview,
// scheduling, the calendar and live events. Shapes come from the generated OpenAPI types
// (`npm run generate:api` turns src/api/openapi.json into schema.d.ts).

import { api } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type Account = Schemas['Account'];
export type Post = Schemas['Post'];
export type Target = Schemas['Target'];
export type TargetPreview = Schemas['TargetPreview'];
export type CalendarResponse = Schemas['CalendarResponse'];
export type ScheduleBody = Schemas['ScheduleBody'];
export type ScheduleResponse = Schemas['ScheduleResponse'];
export type Ticket = Schemas['Ticket'];
export type BulkResponse = Schemas['BulkResponse'];
export type BulkAction = Schemas['ActionName'];

/** One finding of the network validation (the schema leaves issues open). */
export interface Issue {
  severity: 'error' | 'warning' | 'suggestion';
  code: string;
  field: string;
  message: string;
}

/** The editable fields of a post, as the composer holds them. */
export interface Draft {
  content: { text: string; mediaIds?: string[]; firstComment?: string | null };
  targets: { accountId: string; overrides?: { text?: string } | null }[];
}

const base = (workspace: string) => `/api/v1/workspaces/${workspace}`;

export const publishing = {
  accounts: (ws: string) => api.get<Account[]>(`${base(ws)}/accounts`),
  connectSandbox: (ws: string, handle: string) => api.post<Account>(`${base(ws)}/accounts`, { network: 'sandbox', handle }),
  disconnect: (ws: string, account: string) => api.delete<void>(`${base(ws)}/accounts/${account}`),
  preview: (ws: string, draft: Draft) => api.post<TargetPreview[]>(`${base(ws)}/posts/preview`, draft),
  create: (ws: string, draft: Draft) => api.post<Post>(`${base(ws)}/posts`, draft),
  schedule: (ws: string, post: string, body: ScheduleBody) => api.post<ScheduleResponse>(`${base(ws)}/posts/${post}/schedule`, body),
  publishNow: (ws: string, post: string) => api.post<ScheduleResponse>(`${base(ws)}/posts/${post}/publish`, {}),
  calendar: (ws: string, from: Date, to: Date, timeZone: string) =>
    api.get<CalendarResponse>(
      `${base(ws)}/calendar?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), groupBy: 'day', timeZone })}`,
    ),
  ticket: (ws: string) => api.post<Ticket>(`${base(ws)}/events/ticket`, {}),
  bulk: (ws: string, action: BulkAction, postIds: string[]) => api.post<BulkResponse>(`${base(ws)}/posts/bulk`, { action, postIds }),
};

export function issuesOf(preview: TargetPreview): Issue[] {
  return preview.issues as unknown as Issue[];
}

/** The browser's own IANA zone (what the schedule picker starts with). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export type Notification = Schemas['Notification'];

/** Weekly posting slots of an account ("add to queue" fills the next free one). */
export interface PostingSlots {
  zone: string;
  slots: { day: string; time: string }[];
}

export const inbox = {
  notifications: (ws: string, unread: boolean) => api.get<{ items: Notification[] }>(`${base(ws)}/notifications${unread ? '?unread=true' : ''}`),
  markRead: (ws: string, id: string) => api.post<void>(`${base(ws)}/notifications/${id}/read`, {}),
};

export const queue = {
  upcoming: (ws: string) => api.get<Post[]>(`${base(ws)}/posts?${new URLSearchParams({ status: 'scheduled', from: new Date().toISOString(), limit: '200' })}`),
  setSlots: (ws: string, account: string, slots: PostingSlots | null) => api.put<Account>(`${base(ws)}/accounts/${account}/posting-slots`, slots),
};
