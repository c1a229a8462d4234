// Connecting real network accounts: the networks this server offers, OAuth start and completion
// (the network sends the person back to /connect/callback), picks among several accounts, and
// app passwords. The workspace a connect started in is remembered for the callback page.

import { api } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type NetworkOption = Schemas['NetworkOption'];
export type CompleteResponse = Schemas['CompleteResponse'];
export type PendingView = Schemas['PendingView'];
export type Account = Schemas['Account'];

const base = (workspace: string) => `/api/v1/workspaces/${workspace}`;
const STARTED_IN = 'zenalto.connect.workspace';

export const connections = {
  networks: (ws: string) => api.get<NetworkOption[]>(`${base(ws)}/networks`),
  /** Starts OAuth and sends the browser to the network. */
  async start(ws: string, network: string, instanceUrl?: string): Promise<void> {
    const started = await api.post<Schemas['StartResponse']>(`${base(ws)}/connections`, { network, instanceUrl: instanceUrl || null });
    sessionStorage.setItem(STARTED_IN, ws);
    window.location.assign(started.authorizationUrl);
  },
  /** The workspace the connect coming back started in (falls back to the current one). */
  startedIn: (fallback: string) => sessionStorage.getItem(STARTED_IN) ?? fallback,
  complete: (ws: string, state: string, code: string) => api.post<CompleteResponse>(`${base(ws)}/connections/complete`, { state, code }),
  select: (ws: string, pending: string, platformAccountIds: string[]) =>
    api.post<Account[]>(`${base(ws)}/connections/pending/${pending}`, { platformAccountIds }),
  appPassword: (ws: string, network: string, identifier: string, appPassword: string, instanceUrl?: string) =>
    api.post<Account>(`${base(ws)}/connections/app-password`, { network, identifier, appPassword, instanceUrl: instanceUrl || null }),
};

/** What an account's health means for the person looking at it. */
export function healthText(health: string): string {
  switch (health) {
    case 'active':
      return 'Connected';
    case 'expiring':
      return 'Access expires soon: reconnect';
    case 'expired':
      return 'Access expired: reconnect';
    case 'revoked':
      return 'Access revoked: reconnect';
    default:
      return 'Problem: see the last error';
  }
}
