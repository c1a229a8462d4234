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

/** One provider of the workspace's chain, as the server shows it (never the key). */
export interface ProviderView {
  kind: string;
  baseUrl: string;
  model: string;
  cheapModel?: string | null;
  inputPrice?: number | null;
  outputPrice?: number | null;
  keySet: boolean;
}

/** What is sent back: an omitted `apiKey` keeps the stored one (same kind and URL). */
export interface ProviderInput extends Omit<ProviderView, 'keySet'> {
  apiKey?: string;
}

export interface AiSettings {
  providers: ProviderView[];
  monthlyBudgetMicros?: number | null;
}

export interface AiUsage {
  since: string;
  spentMicros: number;
  monthlyBudgetMicros?: number | null;
  lines: { provider: string; model: string; requests: number; inputTokens: number; outputTokens: number; costMicros: number }[];
  cacheHits: number;
  cacheMisses: number;
}

export const aiSettings = {
  get: (ws: string) => api.get<AiSettings>(`${base(ws)}/settings`),
  put: (ws: string, providers: ProviderInput[], monthlyBudgetMicros: number | null) =>
    api.put<AiSettings>(`${base(ws)}/settings`, { providers, monthlyBudgetMicros }),
  usage: (ws: string) => api.get<AiUsage>(`${base(ws)}/usage`),
};

/** Micro-dollars as dollars for people. */
export function dollars(micros: number): string {
  return `$${(micros / 1_000_000).toFixed(micros > 0 && micros < 10_000 ? 4 : 2)}`;
}
