// AI assist for the composer: hashtag suggestions from the workspace's own posts, and rewrites
// (by the workspace's providers when configured, else the built-in local engine), with cost.

import { api } from './client';

export interface HashtagSuggestion {
  tag: string;
  relevance: number;
  usedInPosts: number;
  source: string;
}

export interface Rewritten {
  text: string;
  changes: string[];
  /** "local", "cache" or the provider kind. */
  engine: string;
  costMicros: number;
  fallback?: { kind: string; message: string } | null;
}

export type Style = 'shorten' | 'simplify' | 'formal' | 'casual';

const base = (ws: string) => `/api/v1/workspaces/${ws}/ai`;

export const ai = {
  hashtags: (ws: string, text: string) => api.post<{ suggestions: HashtagSuggestion[]; historyPosts: number }>(`${base(ws)}/hashtags`, { text, limit: 8 }),
  rewrite: (ws: string, text: string, style: Style) => api.post<Rewritten>(`${base(ws)}/rewrite`, { text, style }),
};

/** What a generation cost, for people: "free (local engine)" or "$0.0012 (openai)". */
export function costLabel(r: Pick<Rewritten, 'engine' | 'costMicros'>): string {
  if (r.engine === 'local') return 'free (local engine)';
  if (r.engine === 'cache') return 'free (from the cache)';
  return `$${(r.costMicros / 1_000_000).toFixed(4)} (${r.engine})`;
}
