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

export type Style = 'shorten' | 'simplify' | 'formal' | 'casual' | 'expand';

export interface Fallback {
  kind: string;
  message: string;
}

/** One drafted variation, fitted to and validated for its network. */
export interface Variation {
  fitted: { network: string; text: string; thread: string[]; report: { issues: { severity: string; message: string }[] } };
  quality: number;
  reasoning: string[];
}

export interface Generation {
  engine: string;
  costMicros: number;
  fallback?: Fallback | null;
  networks: { network: string; variations: Variation[] }[];
}

export interface Translation {
  text: string;
  language: string;
  engine: string;
  costMicros: number;
}

export interface Optimized {
  suggestions: { kind: string; what: string; why: string; expectedEffect: { change: number | null; source: string } }[];
  prediction: { expected: number | null; low: number | null; high: number | null; confidenceLabel: string; source: string; samples: number; note: string };
  historyPosts: number;
}

export interface AltText {
  altText: string;
  caption?: string | null;
  engine: string;
  costMicros: number;
  fallback?: Fallback | null;
  note?: string | null;
  saved: boolean;
}

const base = (ws: string) => `/api/v1/workspaces/${ws}/ai`;

export const ai = {
  hashtags: (ws: string, text: string) => api.post<{ suggestions: HashtagSuggestion[]; historyPosts: number }>(`${base(ws)}/hashtags`, { text, limit: 8 }),
  rewrite: (ws: string, text: string, style: Style) => api.post<Rewritten>(`${base(ws)}/rewrite`, { text, style }),
  translate: (ws: string, text: string, language: string) => api.post<Translation>(`${base(ws)}/translate`, { text, language }),
  optimize: (ws: string, text: string, network: string) => api.post<Optimized>(`${base(ws)}/optimize`, { text, network }),
  generate: (ws: string, topic: string, points: string[], networks: string[], variations: number) =>
    api.post<Generation>(`${base(ws)}/generate`, { brief: { topic, points }, networks, variations }),
  altText: (ws: string, mediaId: string, save: boolean) => api.post<AltText>(`${base(ws)}/alt-text`, { mediaId, save }),
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

/** One hour of the week (0 = Monday) and how it does for the account. */
export interface BestSlot {
  weekday: number;
  hour: number;
  /** Expected engagement relative to the account's average post (1 = average). */
  score: number;
  /** The account's posts in this hour. */
  posts: number;
  /** 0–1: the weight of the account's own posts in the score; 0 = the assumed prior only. */
  confidence: number;
}

export interface BestTimes {
  accountId: string;
  network: string;
  timeZone: string;
  slots: BestSlot[];
  samples: number;
  priorWeight: number;
  confidence: number;
  /** `account_history`, or `account_history_and_prior` when the account has few posts. */
  source: string;
  note: string;
}

export const bestTimes = {
  get: (ws: string, account: string, timeZone: string, limit = 3) =>
    api.get<BestTimes>(`/api/v1/workspaces/${ws}/accounts/${account}/best-times?${new URLSearchParams({ timeZone, limit: String(limit) })}`),
};

/** The ranking leans on the assumed prior rather than the account's own posts. */
export function priorDominates(times: Pick<BestTimes, 'source'>, slot?: Pick<BestSlot, 'confidence'>): boolean {
  return times.source === 'account_history_and_prior' || (slot !== undefined && slot.confidence < 0.5);
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Tue 18:00" for a slot. */
export function slotLabel(slot: Pick<BestSlot, 'weekday' | 'hour'>): string {
  return `${WEEKDAYS[slot.weekday] ?? '?'} ${String(slot.hour).padStart(2, '0')}:00`;
}

/**
 * The next wall-clock time (`2026-12-08T18:00`, as a datetime-local input holds it) falling on
 * `weekday` (0 = Monday) at `hour` in `zone`, strictly after `now`'s hour there.
 */
export function nextWallTime(weekday: number, hour: number, zone: string, now: Date = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const today = WEEKDAYS.indexOf(parts.weekday);
  let ahead = (weekday - today + 7) % 7;
  if (ahead === 0 && hour <= Number(parts.hour)) ahead = 7;
  const day = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + ahead));
  return `${day.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

/** The usual value of one style dimension over what the voice was learned from. */
export interface VoiceDimension {
  dimension: string;
  mean: number;
  spread: number;
}

export interface VoiceProfile {
  /** How many texts it was learned from. */
  samples: number;
  dimensions: VoiceDimension[];
  keyPhrases: string[];
  vocabulary: string[];
}

export interface VoiceSources {
  examples: number;
  /** `rankedBy`: engagement, latest_published or latest_posts. */
  bestPosts: { count: number; rankedBy: string };
}

export interface BrandVoice {
  profile: VoiceProfile | null;
  sources: VoiceSources | null;
  updatedAt: string | null;
}

export interface VoiceScore {
  /** 0–100. */
  score: number;
  dimensions: { dimension: string; draft: number; usual: number; score: number; explanation: string }[];
  /** The dimensions pulling the score down most, worst first, in words. */
  findings: string[];
}

export const brandVoice = {
  get: (ws: string) => api.get<BrandVoice>(`${base(ws)}/brand-voice`),
  learn: (ws: string, examples: string[], bestPosts: number) => api.put<BrandVoice>(`${base(ws)}/brand-voice`, { examples, bestPosts }),
  score: (ws: string, text: string) => api.post<VoiceScore>(`${base(ws)}/brand-voice/score`, { text }),
};

/**
 * Pasted examples as texts: separated by blank lines when there are any (so an example may span
 * lines), else one per line.
 */
export function splitExamples(pasted: string): string[] {
  const raw = pasted.replace(/\r\n?/g, '\n');
  const parts = /\n[ \t]*\n/.test(raw) ? raw.split(/\n[ \t]*\n+/) : raw.split('\n');
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}
