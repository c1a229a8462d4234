import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Me, Rights, Workspace } from '../api/types';
import { ApiKeysPanel } from './home/ApiKeysPanel';
import { AuditPanel } from './home/AuditPanel';
import { MembersPanel } from './home/MembersPanel';
import { SecurityPanel } from './home/SecurityPanel';
import { WorkspaceSwitcher } from './home/WorkspaceSwitcher';
import { ApprovalsPage } from './approvals/ApprovalsPage';
import { AccountsPage } from './publishing/AccountsPage';
import { ConnectCallback } from './publishing/ConnectCallback';
import { CalendarPage } from './publishing/calendar/CalendarPage';
import { Composer } from './publishing/Composer';
import { InboxPage } from './inbox/InboxPage';
import { MediaPage } from './media/MediaPage';
import { NotificationsPage } from './publishing/NotificationsPage';
import { AiSettingsPage } from './settings/AiSettingsPage';
import { ChatPage } from './assistant/ChatPage';
import { QueuePage } from './publishing/QueuePage';
import { ThemePicker } from '../components/ThemePicker';
import { navigate, useLocation } from '../router';

/** The signed-in pages, by path. */
const PAGES = [
  { path: '/', label: 'Workspace' },
  { path: '/compose', label: 'Compose' },
  { path: '/assistant', label: 'Assistant' },
  { path: '/calendar', label: 'Calendar' },
  { path: '/queue', label: 'Queue' },
  { path: '/approvals', label: 'Approvals' },
  { path: '/inbox', label: 'Inbox' },
  { path: '/media', label: 'Media' },
  { path: '/accounts', label: 'Accounts' },
  { path: '/notifications', label: 'Notifications' },
  { path: '/settings', label: 'Settings' },
];

export function Home({ onSignOut }: { onSignOut: () => void }) {
  const location = useLocation();
  const path = location.pathname;
  const [me, setMe] = useState<Me | null>(null);
  const [current, setCurrent] = useState<string | null>(() => localStorage.getItem('zenalto.workspace'));
  const [rights, setRights] = useState<Rights | null>(null);

  const load = useCallback(async () => {
    const data = await api.get<Me>('/api/v1/me');
    setMe(data);
    setCurrent((id) => (id && data.workspaces.some((w) => w.id === id) ? id : data.workspaces[0]?.id ?? null));
  }, []);

  useEffect(() => {
    load().catch(() => onSignOut());
  }, [load, onSignOut]);

  useEffect(() => {
    if (!current) return;
    localStorage.setItem('zenalto.workspace', current);
    api.get<Rights>(`/api/v1/workspaces/${current}/me`).then(setRights, () => setRights(null));
  }, [current]);

  if (!me) return <p className="loading" role="status">Loading…</p>;
  const workspace = me.workspaces.find((w) => w.id === current) ?? null;

  async function logout() {
    await api.post('/api/v1/auth/logout').catch(() => undefined);
    onSignOut();
  }

  function added(w: Workspace) {
    setMe((m) => (m ? { ...m, workspaces: [...m.workspaces, w] } : m));
    setCurrent(w.id);
  }

  const can = (permission: string) => rights?.permissions.includes(permission) ?? false;

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Zenalto</span>
        <WorkspaceSwitcher workspaces={me.workspaces} current={current} onSelect={setCurrent} onCreated={added} />
        <span className="who" aria-label="Signed in as">
          {me.user.name}
        </span>
        <ThemePicker />
        <button className="secondary" onClick={logout}>
          Log out
        </button>
      </header>
      <nav className="tabs-nav" aria-label="Main">
        {PAGES.map((p) => (
          <a
            key={p.path}
            href={p.path}
            aria-current={path === p.path ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(p.path);
            }}
          >
            {p.label}
          </a>
        ))}
      </nav>
      <main className="panels">
        {!workspace ? (
          <p>You are not a member of any workspace yet. Create one above.</p>
        ) : path === '/compose' ? (
          <Composer workspace={workspace.id} canUpload={can('post:create')} />
        ) : path === '/calendar' ? (
          <CalendarPage workspace={workspace.id} />
        ) : path === '/queue' ? (
          <QueuePage workspace={workspace.id} canEditSlots={can('settings:update')} />
        ) : path === '/approvals' ? (
          <ApprovalsPage workspace={workspace.id} canPublish={can('post:publish')} />
        ) : path === '/media' ? (
          <MediaPage workspace={workspace.id} canUpload={can('post:create')} canEdit={can('post:update')} canDelete={can('post:delete')} />
        ) : path === '/inbox' ? (
          <InboxPage workspace={workspace.id} canReply={can('post:create')} />
        ) : path === '/notifications' ? (
          <NotificationsPage workspace={workspace.id} />
        ) : path === '/assistant' ? (
          <ChatPage workspace={workspace.id} />
        ) : path === '/settings' ? (
          <AiSettingsPage workspace={workspace.id} canEdit={can('settings:update')} />
        ) : path === '/connect/callback' ? (
          <ConnectCallback workspace={workspace.id} params={location.searchParams} />
        ) : path === '/accounts' ? (
          <AccountsPage workspace={workspace.id} canConnect={can('settings:update')} />
        ) : (
          <>
            <MembersPanel workspace={workspace} canInvite={can('team:invite')} />
            {can('audit:view') && <AuditPanel workspace={workspace} />}
            <ApiKeysPanel workspace={workspace.id} permissions={rights?.permissions ?? []} canManageWorkspaceKeys={can('settings:update')} />
            <SecurityPanel user={me.user} onChanged={load} />
          </>
        )}
      </main>
    </div>
  );
}
