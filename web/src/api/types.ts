// Shapes of the Zenalto API (see /api/openapi.json). All JSON is camelCase.

export interface User {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

export type Role = 'owner' | 'admin' | 'manager' | 'editor' | 'viewer';
export const ROLES: Role[] = ['owner', 'admin', 'manager', 'editor', 'viewer'];

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  plan: string;
  role: Role;
  createdAt: string;
}

export interface List<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Me {
  user: User;
  workspaces: Workspace[];
}

export interface SessionInfo {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

export interface Rights {
  role: Role;
  permissions: string[];
}

export interface AuditEntry {
  id: string;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  changes: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: string;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}
