// API keys of a workspace: personal keys (acting as their owner) and workspace keys (with a
// role of their own), each limited to the scopes chosen at creation.

import { api } from './client';
import type { components } from './schema';

export type ApiKey = components['schemas']['ApiKey'];
export type CreateKeyRequest = components['schemas']['CreateKeyRequest'];
export type CreatedKey = components['schemas']['CreatedKey'];

const path = (ws: string) => `/api/v1/workspaces/${ws}/api-keys`;

export const keys = {
  list: (ws: string) => api.get<{ items: ApiKey[] }>(path(ws)),
  create: (ws: string, request: CreateKeyRequest) => api.post<CreatedKey>(path(ws), request),
  revoke: (ws: string, id: string) => api.delete<void>(`${path(ws)}/${id}`),
};
