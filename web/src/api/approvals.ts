// The approval queue: posts awaiting approval (written by people or by the agents, with their
// reasoning), approved — optionally edited first, guarded by If-Match — or rejected with a reason.

import { api } from './client';
import type { Post, ScheduleBody, ScheduleResponse } from './publishing';
import type { components } from './schema';

export type QueueEntry = Omit<components['schemas']['QueueEntry'], 'trail'> & { trail: TrailEntry[] };

/** One step of a post's approval trail (the schema leaves it open). */
export interface TrailEntry {
  decision: 'submitted' | 'approved' | 'rejected' | string;
  /** The rejection reason, or the note given with a submission. */
  reason?: string | null;
  /** Why the agents wrote this draft (their submissions only). */
  reasoning?: Reasoning | null;
  runId?: string | null;
  actorType: string;
  actorId?: string | null;
  at: string;
}

/** What the agents attach to a draft they submit (see docs/agents.md); every part may be missing. */
export interface Reasoning {
  theme?: string;
  angle?: string;
  strategy?: string;
  content?: { engine?: string; quality?: number; qualityReasoning?: string[]; pickedBecause?: string };
  review?: {
    passesValidation?: boolean;
    voiceScore?: number | null;
    voiceFindings?: string[];
    flags?: { rule: string; matched: string; message: string }[];
  };
  slot?: { at?: string; localTime?: string; why?: string };
}

/** The edit sent with "edit then approve": the whole post, as for PUT /posts/{id}. */
export type PostEdit = components['schemas']['PostRequest'];

const base = (ws: string) => `/api/v1/workspaces/${ws}`;

export const approvals = {
  queue: (ws: string, accountId?: string) =>
    api.get<QueueEntry[]>(`${base(ws)}/approvals${accountId ? `?${new URLSearchParams({ accountId })}` : ''}`),
  /** Approves at the proposed time, or at `schedule`; with `edit`, `version` goes in If-Match. */
  approve: (ws: string, post: string, options: { schedule?: ScheduleBody; edit?: PostEdit; version?: number } = {}) =>
    api.post<ScheduleResponse>(
      `${base(ws)}/posts/${post}/approve`,
      { ...(options.edit ? { edit: options.edit } : {}), ...(options.schedule ? { schedule: options.schedule } : {}) },
      options.edit && options.version !== undefined ? { 'If-Match': `"${options.version}"` } : {},
    ),
  reject: (ws: string, post: string, reason: string) => api.post<Post>(`${base(ws)}/posts/${post}/reject`, { reason }),
};

/** The post with its text replaced, as an edit (everything else as it was). */
export function editOf(post: Post, text: string): PostEdit {
  const content = { ...(post.content as Record<string, unknown>), text };
  return {
    content: content as unknown as PostEdit['content'],
    targets: post.targets.map((t) => ({ accountId: t.accountId, overrides: t.overrides ?? null })),
    campaign: post.campaign ?? null,
    tags: post.tags,
    notes: post.notes ?? null,
  };
}

/** The agents' reasoning of the latest submission, if the agents wrote the post. */
export function reasoningOf(trail: TrailEntry[]): { reasoning: Reasoning | null; note: string | null; runId: string | null } {
  const submission = [...trail].reverse().find((e) => e.decision === 'submitted');
  return { reasoning: submission?.reasoning ?? null, note: submission?.reason ?? null, runId: submission?.runId ?? null };
}

export function postText(post: Post): string {
  const text = (post.content as { text?: unknown }).text;
  return typeof text === 'string' ? text : '';
}
